"""Seed the demo: a care team, staff logins, patients with histories and open escalations."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.demo.data import logins
from followup.demo.seeding import seed_demo, summary


class Command(BaseCommand):
    help = "Create demo data (idempotent): a care team, staff logins, 20 patients, escalations."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode: set DEMO_MODE=1 (make demo).")
        if settings.TWILIO_GATEWAY != "fake":
            # The demo numbers are fictional; the real gateway would try to text them.
            raise CommandError("seed_demo needs the fake gateway: set TWILIO_GATEWAY=fake.")
        created = seed_demo(timezone.now())
        self.stdout.write(summary(created))
        self.stdout.write(logins())
