"""The audit log table, append-only in PostgreSQL."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Append-only in PostgreSQL: the app's own code cannot change or remove an audit event, by
# mistake or through a bug. Only prune_audit deletes, with the transaction-local setting
# followup.audit_prune = 'on'. TRUNCATE is not blocked: Django's test flush uses it, and it
# needs the table owner's (or a granted) privilege, which the application's database role
# should not hold in production.
APPEND_ONLY = """
CREATE FUNCTION followup_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('followup.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER followup_auditevent_append_only
    BEFORE UPDATE OR DELETE ON followup_auditevent
    FOR EACH ROW EXECUTE FUNCTION followup_auditevent_append_only();
CREATE INDEX followup_auditevent_patients ON followup_auditevent
    USING gin (patients jsonb_path_ops);
"""
DROP_APPEND_ONLY = """
DROP INDEX IF EXISTS followup_auditevent_patients;
DROP TRIGGER IF EXISTS followup_auditevent_append_only ON followup_auditevent;
DROP FUNCTION IF EXISTS followup_auditevent_append_only();
"""


def _run_on_postgresql(sql: str, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # SQLite (the demo) has no triggers of this kind; it migrates without them.
    if schema_editor.connection.vendor == "postgresql":
        # No params: the function body's % must reach PostgreSQL as written.
        schema_editor.execute(sql, params=None)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run_on_postgresql(APPEND_ONLY, schema_editor)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run_on_postgresql(DROP_APPEND_ONLY, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("followup", "0013_roles")]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("username", models.CharField(blank=True, max_length=150)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("action", models.CharField(max_length=32)),
                (
                    "patients",
                    models.JSONField(
                        blank=True, default=list, help_text="Ids shown by a list view"
                    ),
                ),
                ("detail", models.TextField(blank=True)),
                ("remote_addr", models.GenericIPAddressField(blank=True, null=True)),
                ("path", models.CharField(blank=True, max_length=255)),
                ("method", models.CharField(blank=True, max_length=8)),
                (
                    "patient",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="followup.patient",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["patient", "at"], name="auditevent_patient_at"),
                    models.Index(fields=["user", "at"], name="auditevent_user_at"),
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
