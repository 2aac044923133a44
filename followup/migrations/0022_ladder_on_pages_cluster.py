"""Moves the escalation-ladder schedule to the pages cluster, where bulk dispatch never runs."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Frozen as of this migration; `manage.py ensure_schedules` keeps it current afterwards.
NAME = "escalation-ladder"
CLUSTER = "pages"


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).update(cluster=CLUSTER)


def back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).update(cluster=None)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0021_inbound_review_candidates"),
        ("django_q", "0014_schedule_cluster"),
    ]

    operations = [migrations.RunPython(forward, back)]
