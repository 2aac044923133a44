"""When a patient's record was anonymised past DATA_RETENTION_DAYS (followup/retention.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("followup", "0019_roster")]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
