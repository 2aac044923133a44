"""The default spine protocol and the recurring schedules, as the code wants them today."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.utils import timezone

# Daily in the first week, then spreading out: most complications show early.
DEFAULT_PROTOCOL = "Spinal fusion (default)"
DEFAULT_DAYS = [1, 2, 3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90]
DEFAULT_QUESTIONS = ["general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"]
DEFAULT_SEND_TIME = dt.time(10, 0)
DISPATCH_SCHEDULE = "dispatch"
DISPATCH_TASK = "followup.tasks.dispatch_due"
LADDER_SCHEDULE = "escalation-ladder"
LADDER_TASK = "followup.tasks.advance_ladders"
# followup.queues.PAGES; spelled here too because migrations import this module.
PAGES_CLUSTER = "pages"

# Any fixed number will do, as long as nothing else in the database takes the same lock.
SCHEDULES_LOCK = 0x5F0110


@dataclass(frozen=True)
class RecurringSchedule:
    name: str
    func: str
    minutes: int = 1
    # None is the default cluster; "pages" the one of its own that bulk work never holds up.
    cluster: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "func": self.func,
            "schedule_type": "I",
            "minutes": self.minutes,
            "repeats": -1,
            "cluster": self.cluster,
        }


# Stored rows name their task by dotted path: rename a task here and old rows still point there.
SCHEDULES = (
    RecurringSchedule(DISPATCH_SCHEDULE, DISPATCH_TASK),
    RecurringSchedule(LADDER_SCHEDULE, LADDER_TASK, cluster=PAGES_CLUSTER),
)


def install_defaults(apps: Any = global_apps) -> None:
    """Create the default protocol and the recurring schedules if missing."""
    install_default_protocol(apps)
    ensure_schedules(apps)


def install_default_protocol(apps: Any = global_apps) -> None:
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
                send_time=DEFAULT_SEND_TIME,
                channel="preferred",
                questions=DEFAULT_QUESTIONS,
            )
            for day in DEFAULT_DAYS
        )


def ensure_schedules(apps: Any = global_apps) -> list[str]:
    """Create or correct each recurring schedule by name; one line per schedule on what it did."""
    Schedule = apps.get_model("django_q", "Schedule")
    with transaction.atomic():
        _lock_schedules()
        return [f"{wanted.name}: {_ensure(Schedule, wanted)}" for wanted in SCHEDULES]


def _ensure(Schedule: Any, wanted: RecurringSchedule) -> str:
    rows = list(Schedule.objects.filter(name=wanted.name).order_by("pk"))
    if not rows:
        Schedule.objects.create(name=wanted.name, next_run=timezone.now(), **wanted.fields())
        return f"created ({wanted.func} every {wanted.minutes} min)"
    kept, extra = rows[0], rows[1:]
    done = []
    if extra:
        # Two rows of one name queue the task twice as often.
        Schedule.objects.filter(pk__in=[row.pk for row in extra]).delete()
        done.append(f"removed {len(extra)} duplicate(s)")
    drift = {key: value for key, value in wanted.fields().items() if getattr(kept, key) != value}
    if drift:
        Schedule.objects.filter(pk=kept.pk).update(**drift)
        done.append(f"updated {', '.join(sorted(drift))}")
    return "; ".join(done) or "unchanged"


def _lock_schedules() -> None:
    # Schedule.name is not unique: two deploys at once could each create the same schedule.
    # The lock ends with the transaction. On SQLite, settings begin every transaction IMMEDIATE,
    # which already lets one writer in at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULES_LOCK])
