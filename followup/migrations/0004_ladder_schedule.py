"""Installs the recurring escalation-ladder schedule on existing databases."""

from django.db import migrations

from followup.defaults import LADDER_SCHEDULE, install_defaults


def install(apps, schema_editor):
    install_defaults(apps)


def uninstall(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=LADDER_SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_paging_ladder_and_safety_wording")]

    operations = [migrations.RunPython(install, uninstall)]
