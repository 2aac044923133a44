from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0010_outbound_status_length"),
    ]

    operations = []
