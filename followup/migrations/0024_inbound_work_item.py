"""The stored inbound row is its own work item: its insert wakes the worker through NOTIFY.

A trigger rather than a NOTIFY from the webhook: it costs the webhook no round trip, and the
notification leaves only when the row commits (a rolled-back row wakes no one).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE FUNCTION followup_inbound_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('followup_inbound', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER followup_inbound_notify
    AFTER INSERT ON followup_inboundmessage
    FOR EACH ROW WHEN (NEW.processed_at IS NULL)
    EXECUTE FUNCTION followup_inbound_notify();
"""

DROP = """
DROP TRIGGER IF EXISTS followup_inbound_notify ON followup_inboundmessage;
DROP FUNCTION IF EXISTS followup_inbound_notify();
"""


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL only: the demo's SQLite has no NOTIFY, and its worker polls.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("followup", "0023_webhook_lookups")]

    operations = [migrations.RunPython(create, drop)]
