from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0011_pass_health_and_retries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inboundmessage",
            name="from_number",
            field=models.TextField(),
        ),
        migrations.AlterField(
            model_name="inboundmessage",
            name="to_number",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="originals",
            field=models.TextField(
                blank=True,
                help_text="JSON of fields as Twilio sent them, when they held characters "
                "PostgreSQL cannot store (stored with U+FFFD in their place)",
            ),
        ),
    ]
