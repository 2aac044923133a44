from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0011_pass_health_and_retries"),
    ]

    operations = []
