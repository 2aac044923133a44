"""Installs the default spine protocol and the recurring dispatch schedule."""

from django.db import migrations

from followup.defaults import DEFAULT_PROTOCOL, DISPATCH_SCHEDULE, install_defaults


def install(apps, schema_editor):
    install_defaults(apps)


def uninstall(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=DISPATCH_SCHEDULE).delete()
    apps.get_model("followup", "Protocol").objects.filter(name=DEFAULT_PROTOCOL, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
