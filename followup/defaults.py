"""The default spine protocol and the recurring schedules, installed by migration."""

import datetime as dt
from typing import Any

from django.utils import timezone

# Daily in the first week, then spreading out: most complications show early.
DEFAULT_PROTOCOL = "Spinal fusion (default)"
DEFAULT_DAYS = [1, 2, 3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90]
DEFAULT_QUESTIONS = ["general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"]
DISPATCH_SCHEDULE = "dispatch"
DISPATCH_TASK = "followup.tasks.dispatch_due"
LADDER_SCHEDULE = "escalation-ladder"
LADDER_TASK = "followup.tasks.advance_ladders"


def install_defaults(apps: Any) -> None:
    """Create the default protocol and dispatch schedule if missing; `apps` is a migration's."""
    Protocol = apps.get_model("followup", "Protocol")
    ProtocolStep = apps.get_model("followup", "ProtocolStep")
    protocol, created = Protocol.objects.get_or_create(
        name=DEFAULT_PROTOCOL, version=1, defaults={"is_default": True}
    )
    if created:
        ProtocolStep.objects.bulk_create(
            ProtocolStep(
                protocol=protocol,
                postop_day=day,
                send_time=dt.time(10, 0),
                channel="preferred",
                questions=DEFAULT_QUESTIONS,
            )
            for day in DEFAULT_DAYS
        )
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func in ((DISPATCH_SCHEDULE, DISPATCH_TASK), (LADDER_SCHEDULE, LADDER_TASK)):
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": 1,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
