"""One dispatch pass by hand: `manage.py send_due_checkins [--now ISO-TIME]`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from followup.dispatch import dispatch_due
from followup.forms import plausible

# How far ahead of this machine's clock a --now may be (another machine's clock may run ahead).
CLOCK_SKEW = dt.timedelta(minutes=1)


def aware_datetime(value: str, future: bool = False) -> dt.datetime:
    """The ISO time of --now, in UTC; a year outside 1900-2999, or with `future` False a time
    ahead of the clock, is a CommandError: dispatch would send check-ins before they are due,
    paging would page early, retention would delete what is not yet due."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO time like 2026-06-01T10:00Z") from None
    if when.tzinfo is None:
        raise CommandError(f"--now {value!r} needs a time zone, e.g. 2026-06-01T10:00-05:00")
    try:
        when = when.astimezone(dt.UTC)
    except OverflowError:
        when = dt.datetime.max.replace(tzinfo=dt.UTC)
    if not plausible(when.date()):
        raise CommandError(f"--now {value!r} is not between 1900 and 2999")
    if not future and when > timezone.now() + CLOCK_SKEW:
        raise CommandError(f"--now {value!r} is in the future: it would act on what is not yet due")
    return when


class Command(BaseCommand):
    help = "Send the check-ins that are due (as of --now, default the current time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="dispatch as of this ISO time, with a time zone")

    def handle(self, *args: object, **options: str | None) -> None:
        given = options["now"]
        # Ahead of the clock, check-ins would go out early, and each goes out only once.
        now = aware_datetime(given) if given is not None else None
        sent = dispatch_due(now=now)
        self.stdout.write(f"Sent {sent} check-in{'s' if sent != 1 else ''}.")
