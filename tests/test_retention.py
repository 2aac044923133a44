"""Data retention: purge_expired anonymises old follow-ups, never an active one, and says what."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followup import audit, retention
from followup.models import (
    Answer,
    AuditEvent,
    CareItem,
    CheckIn,
    Enrollment,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    StaffNote,
    User,
)
from followup.scheduling import enroll
from tests.factories import (
    make_enrolled_patient,
    make_history,
    make_surgery,
    make_team,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seven_years(settings):
    settings.DATA_RETENTION_DAYS = 2555


NOW = dt.datetime(2034, 6, 1, 12, 0, tzinfo=dt.UTC)
# Eight years before NOW, past the seven-year default; a year before NOW, well within it.
LONG_AGO = NOW - dt.timedelta(days=8 * 365)
LAST_YEAR = NOW - dt.timedelta(days=365)

# What identifies the patient whose follow-up ended long ago, as stored anywhere.
EXPIRED = {
    "first_name": "Zebulon",
    "last_name": "Featherstonehaugh",
    "phone": "+17735550777",
    "caregiver_name": "Wilhelmina",
    "caregiver_phone": "+17735550778",
    "mrn": "MRN-ZF-4242",
    "date_of_birth": dt.date(1944, 7, 19),
}
NEEDLES = [
    "Zebulon",
    "Featherstonehaugh",
    "7735550777",
    "7735550778",
    "Wilhelmina",
    "MRN-ZF-4242",
    "1944-07-19",
    "Zebulon here, my leg is numb",
]


def followup(at: dt.datetime, resolved: bool = True, ended: bool = True, **fields):
    """A patient enrolled at `at` with a full history then; ended: completed and closed."""
    # No password: hashing one per surgeon would make these tests slow.
    surgeon = make_user(role=User.Role.SURGEON, password=None)
    with time_machine.travel(at, tick=False):
        patient, enrollment = make_enrolled_patient(surgery={"surgeon": surgeon}, **fields)
        make_history(patient, enrollment, resolved=resolved)
    if ended:
        Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.COMPLETED)
        CheckIn.objects.filter(enrollment=enrollment, closed_at=None).update(
            status=CheckIn.Status.CANCELLED
        )
    return patient, enrollment


def unmatched(at: dt.datetime, sender=InboundMessage.Sender.UNKNOWN) -> InboundMessage:
    message = InboundMessage.objects.create(
        message_sid=f"SMunmatched{at:%Y%m%d}{sender}",
        from_number="+15555550123",
        body="who is this? call me at home",
        sender=sender,
        received_at=at,
    )
    OutboundMessage.objects.create(
        to="+15555550123",
        body="This number is not on file",
        kind=OutboundMessage.Kind.KEYWORD,
        in_reply_to=message,
        created_at=at,
    )
    return message


def rows_about(patient: Patient) -> dict[str, list[dict]]:
    """Every row about the patient, field by field."""
    outbound = OutboundMessage.objects.filter(patient=patient) | OutboundMessage.objects.filter(
        escalation__patient=patient
    )
    groups = {
        "patient": Patient.objects.filter(pk=patient.pk),
        "enrollments": Enrollment.objects.filter(patient=patient),
        "surgeries": patient.surgeries.all(),
        "checkins": CheckIn.objects.filter(enrollment__patient=patient),
        "inbound": InboundMessage.objects.filter(patient=patient),
        "outbound": outbound.distinct(),
        "answers": Answer.objects.filter(patient=patient),
        "escalations": Escalation.objects.filter(patient=patient),
        "events": EscalationEvent.objects.filter(escalation__patient=patient),
        "notes": StaffNote.objects.filter(patient=patient),
        "care_items": CareItem.objects.filter(patient=patient),
    }
    return {name: list(rows.order_by("pk").values()) for name, rows in groups.items()}


def tables_holding(*needles: str) -> dict[str, list[str]]:
    """Which tables hold any of these words anywhere in a row (every column, as text)."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" AS t WHERE t::text ILIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.setdefault(table, []).append(needle)
    return found


def purge(*args: str, at: dt.datetime = NOW) -> str:
    """purge_expired run at `at` by the clock, as --now says (a --now ahead of the clock is
    refused: it would purge what is not yet due)."""
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("purge_expired", "--now", at.isoformat(), *args, stdout=out)
    return out.getvalue()


def counted(output: str) -> dict[str, int]:
    return {
        line.split(":")[0].strip(): int(line.split(":")[1].split()[0])
        for line in output.splitlines()
        if line.startswith("  ")
    }


@pytest.fixture
def world():
    """One of each: expired, active, old-and-current, open escalation, recent reply, strays."""
    team = make_team(name="North")
    expired, _ = followup(LONG_AGO, care_team=team, **EXPIRED)
    active, _ = followup(LAST_YEAR, ended=False, care_team=team)
    returning, _ = followup(LONG_AGO, care_team=team)
    with time_machine.travel(LAST_YEAR, tick=False):
        enroll(returning, make_surgery(returning, surgeon=make_user(password=None)))
    still_open, _ = followup(LONG_AGO, resolved=False, care_team=team)
    wrote_lately, _ = followup(LONG_AGO, care_team=team)
    InboundMessage.objects.create(
        message_sid="SMlately",
        from_number=wrote_lately.phone,
        body="still sore",
        sender=InboundMessage.Sender.PATIENT,
        patient=wrote_lately,
        received_at=LAST_YEAR,
    )
    old_stray = unmatched(LONG_AGO)
    old_ambiguous = unmatched(LONG_AGO, sender=InboundMessage.Sender.AMBIGUOUS)
    new_stray = unmatched(LAST_YEAR)
    with time_machine.travel(LONG_AGO, tick=False):
        audit.record(None, audit.VIEW_PATIENT, patient=expired)
    audit.record(None, audit.VIEW_PATIENT, patient=expired)
    return {
        "team": team,
        "expired": expired,
        "kept": [active, returning, still_open, wrote_lately],
        "old_strays": [old_stray, old_ambiguous],
        "new_stray": new_stray,
    }


def test_an_expired_patient_is_anonymised_everywhere_and_the_others_untouched(world):
    assert set(tables_holding(*NEEDLES)) >= {
        "followup_patient",
        "followup_inboundmessage",
        "followup_outboundmessage",
        "followup_answer",
        "followup_escalation",
        "followup_escalationevent",
        "followup_staffnote",
        "followup_careitem",
    }
    expired = world["expired"]
    before = {patient.pk: rows_about(patient) for patient in world["kept"]}
    counts_before = rows_about(expired)

    output = purge()

    assert tables_holding(*NEEDLES) == {}
    for patient in world["kept"]:
        assert rows_about(patient) == before[patient.pk], patient
    expired.refresh_from_db()
    assert str(expired) == f"Anonymised #{expired.pk}"
    assert (expired.phone, expired.caregiver_phone, expired.mrn) == (
        "",
        "",
        f"anonymised-{expired.pk}",
    )
    assert expired.anonymised_at == NOW
    after = rows_about(expired)
    # Rows are kept for the reports: the same rows, with dates, statuses and codes intact.
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in counts_before.items()
    }
    escalation = Escalation.objects.get(patient=expired)
    assert escalation.findings == ["numbness"]
    assert escalation.outcome == Escalation.Outcome.CLINIC_VISIT
    assert escalation.opened_at == LONG_AGO
    reply = InboundMessage.objects.get(patient=expired)
    assert (reply.body, reply.media_urls, reply.from_number) == ("", [], "")
    assert reply.assessment == {"findings": ["numbness"]}
    assert all(row["body"] == "" for row in after["outbound"])
    assert counted(output) == {
        "patients": 1,
        "inbound messages": 1,
        "outbound messages": 2,
        "pages": 1,
        "answers": 1,
        "escalations": 1,
        "escalation events": 1,
        "staff notes": 1,
        "care items": 1,
        "unmatched inbound deleted": 2,
        "unmatched outbound deleted": 2,
    }


def test_unmatched_messages_past_retention_are_deleted_and_recent_ones_kept(world):
    purge()
    left = set(InboundMessage.objects.filter(patient=None).values_list("pk", flat=True))
    assert left == {world["new_stray"].pk}
    assert not retention.unmatched_outbound(retention.cutoff(NOW)).exists()
    assert OutboundMessage.objects.filter(in_reply_to__in=world["old_strays"]).count() == 0
    assert OutboundMessage.objects.filter(in_reply_to=world["new_stray"]).count() == 1


def test_a_patient_with_an_old_and_a_current_enrollment_is_untouched(world):
    returning = world["kept"][1]
    assert Enrollment.objects.filter(patient=returning).count() == 2
    before = rows_about(returning)
    purge()
    assert rows_about(returning) == before
    assert retention.expired_patients(retention.cutoff(NOW)).filter(pk=returning.pk).count() == 0


@pytest.mark.parametrize(
    "status", [Enrollment.Status.ACTIVE, Enrollment.Status.PAUSED], ids=lambda s: s.value
)
def test_an_enrollment_that_may_still_run_keeps_even_a_long_quiet_patient(status):
    patient, enrollment = followup(LONG_AGO)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=status)
    before = rows_about(patient)
    purge()
    assert rows_about(patient) == before


def test_audit_events_are_kept_and_the_purge_adds_one_without_patient_data(world):
    before = list(AuditEvent.objects.order_by("pk").values())
    purge()
    after = list(AuditEvent.objects.order_by("pk").values())
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
    event = after[-1]
    assert event["action"] == "purge.expired"
    assert event["patients"] == [world["expired"].pk]
    assert "patients 1" in event["detail"]
    assert "unmatched inbound deleted 2" in event["detail"]
    assert not any(needle.lower() in event["detail"].lower() for needle in NEEDLES)


def test_a_dry_run_counts_what_a_purge_changes_and_changes_nothing(world):
    expired = world["expired"]
    before = rows_about(expired)
    audit_count = AuditEvent.objects.count()
    dry = purge("--dry-run")
    assert "Dry run, nothing was changed" in dry
    assert rows_about(expired) == before
    assert AuditEvent.objects.count() == audit_count
    assert InboundMessage.objects.filter(pk__in=[m.pk for m in world["old_strays"]]).count() == 2
    assert not any(needle in dry for needle in NEEDLES)
    real = purge()
    assert counted(dry) == counted(real)


def test_a_second_run_purges_nothing(world):
    purge()
    state = {patient.pk: rows_about(patient) for patient in Patient.objects.all()}
    again = purge()
    assert set(counted(again).values()) == {0}
    assert {patient.pk: rows_about(patient) for patient in Patient.objects.all()} == state
    assert AuditEvent.objects.filter(action="purge.expired").count() == 2


def test_batches_report_progress_and_purge_them_all():
    patients = [followup(LONG_AGO)[0] for _ in range(5)]
    output = purge("--batch-size", "2")
    assert [line for line in output.splitlines() if "so far" in line] == [
        "patients anonymised so far: 2",
        "patients anonymised so far: 4",
        "patients anonymised so far: 5",
    ]
    assert Patient.objects.filter(pk__in=[p.pk for p in patients], anonymised_at=NOW).count() == 5


def test_a_patient_who_turns_active_between_the_look_and_the_lock_is_passed_over(monkeypatch):
    quiet, _ = followup(LONG_AGO)
    busy, _ = followup(LONG_AGO)
    real = retention._anonymise

    def reply_first(candidates, since, now):
        # A reply lands after the patients were picked and before their batch is locked.
        InboundMessage.objects.create(
            message_sid="SMjustnow",
            from_number=busy.phone,
            body="back again",
            sender=InboundMessage.Sender.PATIENT,
            patient=busy,
            received_at=NOW,
        )
        return real(candidates, since, now)

    monkeypatch.setattr(retention, "_anonymise", reply_first)
    purge()
    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert busy.anonymised_at is None and busy.first_name == "Maria"
    assert quiet.anonymised_at == NOW


def test_pages_render_after_a_purge(world, client):
    purge()
    expired = world["expired"]
    lead = make_user(username="lead", role=User.Role.TEAM_LEAD)
    world["team"].members.add(lead)
    period = {"start": f"{LONG_AGO:%Y-%m-%d}", "end": f"{NOW:%Y-%m-%d}"}
    with time_machine.travel(NOW, tick=False):
        client.force_login(lead)
        for url, params in [
            (reverse("dashboard"), {}),
            (reverse("patients"), {}),
            (reverse("patients"), {"q": "Anonymised"}),
            (reverse("patient-detail", args=[expired.pk]), {}),
            (reverse("patient-chart", args=[expired.pk]), {}),
            (reverse("escalation-archive"), period),
            (reverse("reports"), period),
            (reverse("report-export"), period),
        ]:
            response = client.get(url, params)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert not [needle for needle in NEEDLES if needle in body], url
        report = client.get(reverse("reports"), period).context["report"]
        page = client.get(reverse("patient-detail", args=[expired.pk])).content.decode()
        assert "past the data retention period" in page
        text = client.post(reverse("patient-text", args=[expired.pk]), {"body": "Hello"})
        assert text.status_code == 409
        assert "anonymised" in text.content.decode()
    assert not OutboundMessage.objects.filter(body="Hello").exists()
    # The anonymised escalation still counts.
    assert report.escalations == Escalation.objects.filter(patient__care_team=world["team"]).count()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "use 1 to 5000"),
        (["--batch-size", "many"], "is not a whole number"),
        (["--now", "yesterday"], "is not an ISO time"),
        (["--now", "2034-06-01T12:00"], "needs a time zone"),
        (["--now", "0001-01-01T00:00Z"], "is not between 1900 and 2999"),
        (["--now", "9999-12-31T23:59-23:00"], "is not between 1900 and 2999"),
        (["--now", ""], "is not an ISO time"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("purge_expired", *args, stdout=io.StringIO())


@pytest.mark.parametrize("command", ["purge_expired", "prune_audit"])
def test_a_now_ahead_of_the_clock_removes_nothing(command):
    patient, _ = followup(LONG_AGO)
    AuditEvent.objects.create(action="view.admin", detail="written today")
    ahead = (timezone.now() + dt.timedelta(days=10_000)).isoformat()
    with pytest.raises(CommandError, match="is in the future"):
        call_command(command, "--now", ahead, stdout=io.StringIO())
    patient.refresh_from_db()
    assert patient.anonymised_at is None
    assert AuditEvent.objects.filter(detail="written today").exists()
    # A dry run only counts, so it may look ahead.
    out = io.StringIO()
    call_command("purge_expired", "--now", ahead, "--dry-run", stdout=out)
    assert "Dry run, nothing was changed" in out.getvalue()


def test_a_retention_below_the_safe_minimum_is_refused(settings):
    settings.DATA_RETENTION_DAYS = 100
    patient, _ = followup(LONG_AGO)
    with pytest.raises(CommandError, match="below the minimum of 180"):
        purge()
    patient.refresh_from_db()
    assert patient.anonymised_at is None


def test_the_command_line_reports_bad_arguments_without_a_traceback():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "purge_expired", "--batch-size", "-3"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "-3: use 1 to 5000" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("90", "DATA_RETENTION_DAYS=90: must be at least 180"),
        ("seven years", "DATA_RETENTION_DAYS='seven years': must be a whole number"),
    ],
)
def test_the_app_refuses_to_start_with_an_unsafe_retention(value, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DATA_RETENTION_DAYS": value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"Configuration error: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_words_that_reach_an_anonymised_record_are_purged_once_it_is_quiet_again():
    patient, _ = followup(LONG_AGO)
    purge()
    # A reply whose transaction was still open while the patient's batch ran, then committed.
    late = InboundMessage.objects.create(
        message_sid="SMlate",
        from_number="+17735550999",
        body="back again, Zebulon",
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        received_at=NOW,
    )
    assert counted(purge())["patients"] == 0
    late.refresh_from_db()
    assert late.body == "back again, Zebulon"
    later = NOW + dt.timedelta(days=2556)
    assert counted(purge(at=later))["patients"] == 1
    late.refresh_from_db()
    assert (late.body, late.from_number) == ("", "")
    assert set(counted(purge(at=later)).values()) == {0}
