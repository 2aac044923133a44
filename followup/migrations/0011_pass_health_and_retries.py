from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0010_outbound_status_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerPass",
            fields=[
                ("name", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("started_at", models.DateTimeField()),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("items_ok", models.PositiveIntegerField(default=0)),
                ("items_failed", models.PositiveIntegerField(default=0)),
                (
                    "error",
                    models.TextField(
                        blank=True, help_text="What failed in the last run; empty if nothing"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="processing_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="processing_error",
            field=models.TextField(blank=True, help_text="Why processing last failed"),
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="processing_retry_at",
            field=models.DateTimeField(
                blank=True,
                help_text="The sweep tries processing again no earlier than this",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="careitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("no_response", "No response to today's check-in"),
                    ("unreachable", "Missed three check-ins in a row"),
                    ("opted_out", "Opted out of texts: call them"),
                    ("sms_failed", "Texts cannot reach this number: offer voice"),
                    ("expired", "A check-in could not be sent in time"),
                    ("checkin_failed", "A check-in stopped on an error: contact the patient"),
                    ("paging_failed", "Paging failed: page the on-call clinician by hand"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued here"),
                    ("sending", "Handing to Twilio"),
                    ("accepted", "Accepted by Twilio"),
                    ("sent", "Sent"),
                    ("delivered", "Delivered"),
                    ("read", "Read"),
                    ("undelivered", "Undelivered"),
                    ("failed", "Failed"),
                    ("canceled", "Canceled"),
                    ("partially_delivered", "Partially delivered"),
                    ("replied", "Sent as a webhook reply"),
                    ("unsettled", "Not known whether sent"),
                ],
                default="queued",
                max_length=24,
            ),
        ),
    ]
