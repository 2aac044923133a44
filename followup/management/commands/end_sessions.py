"""Sign a person out everywhere, e.g. after a lost phone or a leaver."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.models import User
from followup.signin import end_sessions


class Command(BaseCommand):
    help = "End every session of a username."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}")
        self.stdout.write(f"Ended {end_sessions(user)} session(s) of {username}.")
