import unicodedata

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def fold(text: str) -> str:
    # A frozen copy of followup.patient_search.search_text as it was when this was written.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fill_search_text(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Patient = apps.get_model("followup", "Patient")
    batch = []
    for patient in Patient.objects.only("first_name", "last_name", "mrn", "phone").iterator():
        digits = "".join(c for c in patient.phone if c.isdigit())
        patient.search_text = fold(
            f"{patient.first_name} {patient.last_name} {patient.mrn} {digits}"
        )
        batch.append(patient)
        if len(batch) == 1000:
            Patient.objects.bulk_update(batch, ["search_text"])
            batch = []
    Patient.objects.bulk_update(batch, ["search_text"])


def add_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Searching inside the text (LIKE '%jose%') needs trigrams on PostgreSQL; the SQLite demo
    # is small enough to scan.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS patient_search_trgm "
        "ON followup_patient USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS patient_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("followup", "0016_staff_note")]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
