import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("followup", "0017_patient_search")]

    operations = [
        migrations.AddField(
            model_name="escalation",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_escalations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
