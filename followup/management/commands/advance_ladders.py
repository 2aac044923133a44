"""One escalation-ladder pass by hand: `manage.py advance_ladders [--now ISO-TIME]`."""

from django.core.management.base import BaseCommand, CommandParser

from followup.management.commands.send_due_checkins import aware_datetime
from followup.paging import advance_ladders


class Command(BaseCommand):
    help = "Page clinicians for unacknowledged escalations that are due (as of --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="run as of this ISO time, with a time zone")

    def handle(self, *args: object, **options: str | None) -> None:
        given = options["now"]
        # Ahead of the clock, clinicians would be paged before a page is due.
        now = aware_datetime(given) if given is not None else None
        sent = advance_ladders(now=now)
        self.stdout.write(f"Sent {sent} page{'s' if sent != 1 else ''}.")
