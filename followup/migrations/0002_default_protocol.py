"""Installs the default spine protocol and the recurring dispatch schedule."""

import datetime as dt

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

# Frozen as of this migration: live defaults may gain fields that do not exist yet at this
# point of the chain, and changing them later must not rewrite what this step installed.
PROTOCOL = {"name": "Spinal fusion (default)", "version": 1, "is_default": True}
STEP = {
    "send_time": dt.time(10, 0),
    "channel": "preferred",
    "questions": ["general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"],
}
DAYS = [1, 2, 3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90]
SCHEDULE = {
    "name": "dispatch",
    "func": "followup.tasks.dispatch_due",
    "schedule_type": "I",
    "minutes": 1,
    "repeats": -1,
}


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Protocol = apps.get_model("followup", "Protocol")
    ProtocolStep = apps.get_model("followup", "ProtocolStep")
    Schedule = apps.get_model("django_q", "Schedule")
    keys = {key: PROTOCOL[key] for key in ("name", "version")}
    protocol, created = Protocol.objects.get_or_create(**keys, defaults=PROTOCOL)
    if created:
        ProtocolStep.objects.bulk_create(
            ProtocolStep(protocol=protocol, postop_day=day, **STEP) for day in DAYS
        )
    if not Schedule.objects.filter(name=SCHEDULE["name"]).exists():
        Schedule.objects.create(**SCHEDULE, next_run=timezone.now())


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE["name"]).delete()
    # SQL rather than the ORM's cascade: unapplying several apps at once hands this function
    # models whose relations point at other copies of Protocol, and the cascade refuses them.
    # A protocol that enrollments still use stays refused, by the foreign key.
    keys = [PROTOCOL["name"], PROTOCOL["version"]]
    schema_editor.execute(
        "DELETE FROM followup_protocolstep WHERE protocol_id IN "
        "(SELECT id FROM followup_protocol WHERE name = %s AND version = %s)",
        keys,
    )
    schema_editor.execute("DELETE FROM followup_protocol WHERE name = %s AND version = %s", keys)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
