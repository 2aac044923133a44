"""Let a locked-out person sign in again before the cool-off ends."""

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.models import User
from followup.signin import LOCKOUT_USERNAME_CHARS


class Command(BaseCommand):
    help = "Clear failed sign-ins for a username (from every address), lifting its lockout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        # Failed sign-ins are kept under the name as typed, cut as the lockout cuts it.
        cleared = reset(username=username[:LOCKOUT_USERNAME_CHARS])
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Unlocked {username}: {cleared} failed sign-in record(s) cleared.")
        elif cleared:
            # Someone was typing a name no account has: cleared, and said so.
            self.stdout.write(
                f"No account is named {username}; {cleared} failed sign-in record(s) "
                "under that name cleared."
            )
        else:
            raise CommandError(
                f"No account is named {username} and no failed sign-ins are recorded under "
                "that name: check the spelling (usernames are case-sensitive)."
            )
