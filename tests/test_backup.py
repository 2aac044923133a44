"""The backup recipe, run for real: deploy/backup.sh and deploy/restore.sh with pg_dump and age."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from followup import audit
from tests import servers
from tests.factories import make_enrolled_patient, make_history

ROOT = Path(__file__).resolve().parent.parent
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
pytestmark = pytest.mark.slow
# pg_dump reads what the test wrote only once it is committed.
committed = pytest.mark.django_db(transaction=True)

# Printed by `manage.py shell -c` on each database: what the app reads back through the ORM.
READ_BACK = """
import json
from django.apps import apps
from django_q.models import Schedule
from followup.models import Patient
models = apps.get_app_config("followup").get_models()
counts = {m._meta.label: m._base_manager.count() for m in models}
counts["django_q.Schedule"] = Schedule.objects.count()
p = Patient.objects.get(mrn=MRN)
patient = {
    "name": str(p), "phone": p.phone, "born": p.date_of_birth.isoformat(),
    "caregiver": p.caregiver_phone, "team": p.care_team.name,
    "replies": list(p.inbound.values_list("body", flat=True)),
    "escalations": list(p.escalations.values_list("status", "outcome_note")),
}
print(json.dumps({"counts": counts, "patient": patient}))
"""


def url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def server():
    return psycopg.connect(url("postgres"), autocommit=True)


@pytest.fixture(scope="module", autouse=True)
def _tools():
    """The client tools the scripts run; CI fails rather than skip when one is missing."""
    tools = ("pg_dump", "pg_restore", "psql", "age", "age-keygen", "sha256sum")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} missing: `make backup-tools` installs them"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def databases():
    """Make empty databases beside the test database; all dropped afterwards."""
    made: list[str] = []

    def make(suffix: str) -> str:
        name = f"{connection.settings_dict['NAME']}_{suffix}"
        with server() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return name

    yield make
    with server() as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """An age identity with its public recipient, and a second identity that is not it."""
    folder = tmp_path_factory.mktemp("keys")
    for name in ("identity", "other"):
        subprocess.run(
            ["age-keygen", "-o", str(folder / f"{name}.txt")], check=True, capture_output=True
        )
    recipient = subprocess.run(
        ["age-keygen", "-y", str(folder / "identity.txt")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (folder / "recipients.txt").write_text(recipient)
    return folder


def run(script: Path, *args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url(database)}
    return subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=120
    )


def manage(*args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url(database), "TWILIO_GATEWAY": "fake"}
    return servers.manage(*args, env=env, check=False)


def read_back(database: str, mrn: str) -> dict:
    result = manage("shell", "-c", READ_BACK.replace("MRN", repr(mrn)), database=database)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def tables(database: str) -> int:
    with psycopg.connect(url(database)) as db:
        row = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def backup(tmp_path, keys):
    """A backup of a populated test database: (its path, the patient, what backup.sh printed)."""
    patient, enrollment = make_enrolled_patient(
        first_name="Philomena", last_name="Quackenbush", phone="+17735550199"
    )
    make_history(patient, enrollment)
    other, _ = make_enrolled_patient()
    audit.record(None, audit.VIEW_PATIENT, patient=patient)
    audit.record(None, audit.VIEW_PATIENT, patient=other)
    source = connection.settings_dict["NAME"]
    result = run(BACKUP, "-r", str(keys / "recipients.txt"), "-o", str(tmp_path), database=source)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.splitlines()[0])
    return path, patient, result.stdout


@committed
def test_backup_is_encrypted_and_restores_into_a_database_the_app_starts_on(
    backup, keys, databases
):
    path, patient, printed = backup
    source = read_back(connection.settings_dict["NAME"], patient.mrn)
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert f"size: {len(data)} bytes" in printed
    digest = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True).stdout
    assert f"sha256: {digest.split()[0]}" in printed
    assert (path.parent / f"{path.name}.sha256").read_text().split()[0] == digest.split()[0]
    # Nothing else was left in the directory: no partial file, no plaintext.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{path.name}.sha256"]
    # The decrypted dump, kept in memory, holds the name and number; the file on disk does not.
    decrypt = subprocess.Popen(
        ["age", "-d", "-i", str(keys / "identity.txt"), str(path)], stdout=subprocess.PIPE
    )
    plain = subprocess.run(
        ["pg_restore", "--data-only", "-f", "-"], stdin=decrypt.stdout, capture_output=True
    ).stdout
    assert decrypt.wait() == 0
    for secret in (b"Quackenbush", b"+17735550199", b"7735550199", b"my leg is numb"):
        assert secret in plain
        assert secret not in data
    assert source["counts"]["followup.Patient"] == 2
    assert source["counts"]["followup.AuditEvent"] == 2

    target = databases("restored")
    restored = run(RESTORE, "-i", str(keys / "identity.txt"), str(path), database=target)
    assert restored.returncode == 0, restored.stderr
    assert "manage.py migrate" in restored.stdout

    check = manage("migrate", "--check", database=target)
    assert check.returncode == 0, check.stdout + check.stderr
    check = manage("check", database=target)
    assert check.returncode == 0, check.stderr
    assert read_back(target, patient.mrn) == source
    assert source["patient"]["name"] == "Philomena Quackenbush"
    assert source["patient"]["replies"] == ["Philomena here, my leg is numb and the wound is red"]


@committed
def test_restore_refuses_a_database_that_is_not_empty(backup, keys, databases):
    path, *_ = backup
    target = databases("taken")
    with psycopg.connect(url(target), autocommit=True) as db:
        db.execute("CREATE TABLE precious (id int)")
    result = run(RESTORE, "-i", str(keys / "identity.txt"), str(path), database=target)
    assert result.returncode == 3
    assert "the target database is not empty" in result.stderr
    assert "--force" in result.stderr
    assert tables(target) == 1


@committed
def test_restore_with_the_wrong_key_fails_clearly_and_leaves_the_target_empty(
    backup, keys, databases
):
    path, *_ = backup
    target = databases("wrongkey")
    result = run(RESTORE, "-i", str(keys / "other.txt"), str(path), database=target)
    assert result.returncode == 4
    assert "cannot decrypt" in result.stderr
    assert "no identity matched" in result.stderr
    assert "Traceback" not in result.stderr
    assert tables(target) == 0


@committed
def test_restore_refuses_a_backup_that_does_not_match_its_checksum(backup, keys, databases):
    path, *_ = backup
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0xFF
    path.write_bytes(bytes(damaged))
    target = databases("damaged")
    result = run(RESTORE, "-i", str(keys / "identity.txt"), str(path), database=target)
    assert result.returncode == 1
    assert "does not match its checksum" in result.stderr
    assert tables(target) == 0


def test_a_failed_dump_leaves_no_file(tmp_path, keys):
    result = run(
        BACKUP,
        "-r",
        str(keys / "recipients.txt"),
        "-o",
        str(tmp_path),
        database="followup_no_such_database",
    )
    assert result.returncode == 1
    assert "the backup failed; nothing was kept" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("script", "args", "message"),
    [
        (BACKUP, [], "no recipients file (-r)"),
        (BACKUP, ["-r", "KEYS/recipients.txt"], "no output directory (-o)"),
        (BACKUP, ["-r", "KEYS/identity.txt", "-o", "."], "holds a private key"),
        (BACKUP, ["-r", "KEYS/recipients.txt", "-o", "/nonexistent"], "not a writable directory"),
        (BACKUP, ["-r", "KEYS/recipients.txt", "-o", ".", "--keep-days", "x"], "whole number"),
        (BACKUP, ["--frobnicate"], "unknown argument: --frobnicate"),
        (RESTORE, ["-i", "KEYS/identity.txt"], "no backup file given"),
        (RESTORE, ["KEYS/recipients.txt"], "no identity file (-i)"),
        (RESTORE, ["-i", "KEYS/identity.txt", "/nonexistent.age"], "cannot read the backup file"),
        (RESTORE, ["-i", "KEYS/identity.txt", "a", "b"], "one backup file at a time"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(script, args, message, keys):
    args = [arg.replace("KEYS", str(keys)) for arg in args]
    result = run(script, *args, database="unused")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
