"""Create or correct the recurring django-q2 schedules: `manage.py ensure_schedules`."""

from django.core.management.base import BaseCommand

from followup.defaults import ensure_schedules


class Command(BaseCommand):
    help = "Create the recurring schedules that are missing and correct those that drifted."

    # Run on every deploy, after migrate, rather than at start-up: several processes start at
    # once and each would race the others to create the same rows.
    def handle(self, *args: object, **options: object) -> None:
        for line in ensure_schedules():
            self.stdout.write(line)
