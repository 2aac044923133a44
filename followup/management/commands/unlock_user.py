"""Let a locked-out person sign in again before the cool-off ends."""

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Clear failed sign-ins for a username (from every address), lifting its lockout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        cleared = reset(username=username)
        self.stdout.write(f"Unlocked {username}: {cleared} failed sign-in record(s) cleared.")
