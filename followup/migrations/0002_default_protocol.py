"""Installs the default spine protocol and the recurring dispatch schedule."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

# Daily in the first week, then spreading out: most complications show early.
DEFAULT_DAYS = [1, 2, 3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90]
DEFAULT_QUESTIONS = ["general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"]
DISPATCH_TASK = "followup.tasks.dispatch_due"


def install(apps, schema_editor):
    Protocol = apps.get_model("followup", "Protocol")
    ProtocolStep = apps.get_model("followup", "ProtocolStep")
    protocol, created = Protocol.objects.get_or_create(
        name="Spinal fusion (default)", version=1, defaults={"is_default": True}
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
    Schedule.objects.update_or_create(
        name="dispatch",
        defaults={
            "func": DISPATCH_TASK,
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="dispatch").delete()
    apps.get_model("followup", "Protocol").objects.filter(
        name="Spinal fusion (default)", version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
