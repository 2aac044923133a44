"""One dispatch pass by hand: `manage.py send_due_checkins [--now ISO-TIME]`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.dispatch import dispatch_due


def aware_datetime(value: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO time like 2026-06-01T10:00Z") from None
    if when.tzinfo is None:
        raise CommandError(f"--now {value!r} needs a time zone, e.g. 2026-06-01T10:00-05:00")
    return when


class Command(BaseCommand):
    help = "Send the check-ins that are due (as of --now, default the current time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="dispatch as of this ISO time, with a time zone")

    def handle(self, *args: object, **options: str | None) -> None:
        now = aware_datetime(options["now"]) if options["now"] else None
        sent = dispatch_due(now=now)
        self.stdout.write(f"Sent {sent} check-in{'s' if sent != 1 else ''}.")
