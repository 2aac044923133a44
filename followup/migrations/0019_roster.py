"""The roster: shifts of on-call and backup clinicians, seeded from each team's fixed pair."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

DEPRECATED = "Deprecated: the roster decides; used only while the team has no shifts"


def seed_shifts(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Each team's fixed on-call and backup become open-ended shifts from now: nobody who was
    # paged before the roster existed stops being paged by it.
    CareTeam = apps.get_model("followup", "CareTeam")
    Shift = apps.get_model("followup", "Shift")
    now = timezone.now()
    for team in CareTeam.objects.all():
        for role in ("on_call", "backup"):
            user_id = getattr(team, f"{role}_id")
            if user_id is not None:
                Shift.objects.create(care_team=team, user_id=user_id, role=role, starts_at=now)


class Migration(migrations.Migration):
    dependencies = [("followup", "0018_escalation_assignee")]

    operations = [
        migrations.AlterField(
            model_name="careteam",
            name="backup",
            field=models.ForeignKey(
                blank=True,
                help_text=DEPRECATED,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="backup_for",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="careteam",
            name="on_call",
            field=models.ForeignKey(
                blank=True,
                help_text=DEPRECATED,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="on_call_for",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="Shift",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("on_call", "On call"), ("backup", "Backup")],
                        default="on_call",
                        max_length=8,
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                (
                    "ends_at",
                    models.DateTimeField(blank=True, help_text="Empty: until changed", null=True),
                ),
                (
                    "care_team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shifts",
                        to="followup.careteam",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shifts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["starts_at", "pk"],
                "indexes": [
                    models.Index(fields=["care_team", "starts_at"], name="shift_team_starts")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_at", None),
                            ("ends_at__gt", models.F("starts_at")),
                            _connector="OR",
                        ),
                        name="shift_ends_after_start",
                    )
                ],
            },
        ),
        migrations.RunPython(seed_shifts, migrations.RunPython.noop),
    ]
