"""Installs the recurring escalation-ladder schedule on existing databases."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

# Frozen as of this migration; `manage.py ensure_schedules` keeps it current afterwards.
SCHEDULE = {
    "name": "escalation-ladder",
    "func": "followup.tasks.advance_ladders",
    "schedule_type": "I",
    "minutes": 1,
    "repeats": -1,
}


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    if not Schedule.objects.filter(name=SCHEDULE["name"]).exists():
        Schedule.objects.create(**SCHEDULE, next_run=timezone.now())


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_paging_ladder_and_safety_wording")]

    operations = [migrations.RunPython(install, uninstall)]
