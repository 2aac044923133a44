"""Migrations: frozen data only, no missing ones, the same default rows as the live defaults."""

import ast
import io
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Field
from django.utils.module_loading import import_string
from django_q.models import Schedule

import followup
from followup.defaults import DEFAULT_DAYS, SCHEDULES, ensure_schedules, install_defaults
from followup.models import Protocol, ProtocolStep

MIGRATIONS = sorted((Path(followup.__file__).parent / "migrations").glob("[0-9]*.py"))
# makemigrations writes custom fields and validators by dotted path; they are schema, not services.
SCHEMA_MODULES = {"followup.models", "followup.phones"}


def imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def runs_code(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr in ("RunPython", "RunSQL")
        for node in ast.walk(tree)
    )


def app_references(tree: ast.Module) -> set[str]:
    """Dotted names such as followup.models.PhoneField used in the migration."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            if isinstance(inner.value, ast.Name) and inner.value.id == "followup":
                found.add(f"followup.{inner.attr}.{node.attr}")
    return found


def test_the_migration_scan_sees_every_migration():
    assert len(MIGRATIONS) >= 12
    assert MIGRATIONS[0].name == "0001_initial.py"


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.stem)
def test_migrations_import_only_django_the_standard_library_and_field_definitions(path):
    tree = ast.parse(path.read_text())
    for name in imports(tree):
        root = name.split(".")[0]
        assert root and (root == "django" or root in sys.stdlib_module_names or root == "followup")
        if root == "followup":
            assert name in SCHEMA_MODULES, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.stem)
def test_data_migrations_carry_their_own_data_and_import_nothing_from_the_app(path):
    tree = ast.parse(path.read_text())
    if runs_code(tree):
        assert not [name for name in imports(tree) if name.split(".")[0] == "followup"]


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.stem)
def test_migrations_name_only_fields_and_validators_from_the_app(path):
    for dotted in app_references(ast.parse(path.read_text())):
        used = import_string(dotted)
        is_field = isinstance(used, type) and issubclass(used, Field)
        assert is_field or used.__name__.startswith("validate_"), f"{path.name} uses {dotted}"


def test_data_migrations_are_found_by_the_scan():
    with_code = [path.stem for path in MIGRATIONS if runs_code(ast.parse(path.read_text()))]
    assert with_code == [
        "0002_default_protocol",
        "0004_ladder_schedule",
        "0014_audit",
        "0017_patient_search",
        "0019_roster",
        "0022_ladder_on_pages_cluster",
        "0024_inbound_work_item",
    ]


@pytest.mark.django_db
def test_models_need_no_new_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"makemigrations would write a migration:\n{out.getvalue()}")


def default_rows() -> dict[str, list[dict]]:
    """The default rows as plain values, without keys and times that differ run to run."""
    return {
        "protocols": list(
            Protocol.objects.order_by("name", "version").values(
                "name", "version", "is_default", "owner"
            )
        ),
        "steps": list(
            ProtocolStep.objects.order_by(
                "protocol__name", "protocol__version", "postop_day"
            ).values(
                "protocol__name",
                "protocol__version",
                "postop_day",
                "send_time",
                "channel",
                "questions",
                "numbered",
            )
        ),
        "schedules": [
            {k: v for k, v in row.items() if k not in ("id", "next_run")}
            for row in Schedule.objects.order_by("name").values()
        ],
    }


def schedule_rows() -> list[tuple]:
    return list(Schedule.objects.order_by("pk").values_list("pk", "name", "func", "minutes"))


def migrate(*args: str) -> None:
    call_command("migrate", *args, verbosity=0, interactive=False)


@pytest.mark.django_db(transaction=True)
def test_migrating_from_zero_installs_what_the_live_defaults_install():
    migrate("followup", "zero")
    tables = connection.introspection.table_names()
    assert "followup_protocol" not in tables
    assert not Schedule.objects.filter(name__in=[s.name for s in SCHEDULES]).exists()

    migrate()
    migrated = default_rows()
    assert [p["name"] for p in migrated["protocols"]] == ["Spinal fusion (default)"]
    assert [s["postop_day"] for s in migrated["steps"]] == DEFAULT_DAYS
    assert [s["name"] for s in migrated["schedules"]] == ["dispatch", "escalation-ladder"]

    # When the defaults change, a data migration must change them in existing databases too.
    Schedule.objects.all().delete()
    Protocol.objects.all().delete()
    install_defaults()
    assert default_rows() == migrated


@pytest.mark.django_db(transaction=True)
def test_migrating_back_to_the_initial_schema_and_forward_again_restores_the_defaults():
    before = default_rows()
    migrate("followup", "0001")
    assert not Protocol.objects.exists()
    assert not Schedule.objects.exists()
    migrate("followup", "0003")
    assert [s.name for s in Schedule.objects.all()] == ["dispatch"]
    migrate()
    assert default_rows() == before


@pytest.mark.django_db
def test_a_migrated_database_needs_no_schedule_changes():
    out = io.StringIO()
    call_command("ensure_schedules", stdout=out)
    assert out.getvalue().splitlines() == ["dispatch: unchanged", "escalation-ladder: unchanged"]


def test_schedules_name_tasks_that_exist_under_followup_tasks():
    for schedule in SCHEDULES:
        assert schedule.func.startswith("followup.tasks.")
        assert callable(import_string(schedule.func))


@pytest.mark.django_db
def test_ensure_schedules_twice_creates_each_schedule_once():
    Schedule.objects.all().delete()
    out = io.StringIO()
    call_command("ensure_schedules", stdout=out)
    assert out.getvalue().splitlines() == [
        "dispatch: created (followup.tasks.dispatch_due every 1 min)",
        "escalation-ladder: created (followup.tasks.advance_ladders every 1 min)",
    ]
    created = schedule_rows()
    assert [row[1] for row in created] == ["dispatch", "escalation-ladder"]
    call_command("ensure_schedules", stdout=io.StringIO())
    assert schedule_rows() == created


@pytest.mark.django_db
def test_ensure_schedules_corrects_a_drifted_schedule_in_place():
    before = schedule_rows()
    Schedule.objects.filter(name="dispatch").update(
        func="followup.tasks.old_name", minutes=5, schedule_type="H"
    )
    out = io.StringIO()
    call_command("ensure_schedules", stdout=out)
    assert out.getvalue().splitlines() == [
        "dispatch: updated func, minutes, schedule_type",
        "escalation-ladder: unchanged",
    ]
    assert schedule_rows() == before


@pytest.mark.django_db
def test_ensure_schedules_keeps_the_oldest_of_duplicate_schedules():
    before = schedule_rows()
    Schedule.objects.create(name="escalation-ladder", func="followup.tasks.advance_ladders")
    assert ensure_schedules() == [
        "dispatch: unchanged",
        "escalation-ladder: removed 1 duplicate(s)",
    ]
    assert schedule_rows() == before


@pytest.mark.django_db(transaction=True)
def test_deploys_running_at_once_create_each_schedule_once():
    Schedule.objects.all().delete()
    start = threading.Barrier(4)
    errors = []

    def deploy():
        try:
            start.wait()
            ensure_schedules()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deploy) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Schedule.objects.values_list("name", flat=True)) == [
        "dispatch",
        "escalation-ladder",
    ]
