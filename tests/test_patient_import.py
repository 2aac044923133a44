"""Importing patients from CSV: every row checked, all or nothing, re-imports, the web page."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from followup import audit, patient_import
from followup.models import (
    AuditEvent,
    CareTeam,
    Enrollment,
    OutboundMessage,
    Patient,
    Protocol,
    User,
)
from tests.factories import make_team, make_user

pytestmark = pytest.mark.django_db

HEADER = ",".join(patient_import.COLUMNS)
SAMPLE = Path(__file__).resolve().parent.parent / "deploy" / "patients-sample.csv"


def line(**overrides: str) -> str:
    surgery = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    row = {
        "first_name": "José",
        "last_name": "García",
        "date_of_birth": "1958-07-14",
        "mrn": "MRN100001",
        "phone": "(773) 555-0101",
        "language": "es",
        "time_zone": "America/Chicago",
        "care_team": "North",
        "surgery_date": surgery,
        "procedure": "tlif",
        "surgeon_username": "drpatel",
        "consent_given_at": "2026-01-05",
        "consent_method": "written",
        "caregiver_name": "",
        "caregiver_phone": "",
    }
    row.update(overrides)
    return ",".join(row[name] for name in patient_import.COLUMNS)


def csv_text(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


@pytest.fixture
def team():
    surgeon = make_user(username="drpatel", role=User.Role.SURGEON)
    north = make_team(name="North")
    north.members.add(surgeon)
    return north


def check(text: str):
    return patient_import.check(text, CareTeam.objects.all())


def test_a_valid_row_is_enrolled_on_the_default_protocol(team):
    rows = check(csv_text(line()))
    assert [(r.number, r.outcome) for r in rows] == [(2, patient_import.NEW)]
    result = patient_import.save(rows, None, skip_invalid=False, update=False)
    patient = Patient.objects.get(mrn="MRN100001")
    assert result.created == [patient.pk]
    assert patient.phone == "+17735550101" and patient.language == "es"
    assert patient.consented_at.date() == dt.date(2026, 1, 5)
    enrollment = Enrollment.objects.get(patient=patient)
    assert enrollment.protocol.is_default and enrollment.checkins.exists()
    assert AuditEvent.objects.filter(action=audit.IMPORT_PATIENTS, patients=[patient.pk]).exists()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"phone": "12"}, "phone '12' is not a valid phone number"),
        ({"date_of_birth": "14/07/1958"}, "date_of_birth '14/07/1958' is not a date"),
        ({"care_team": "South"}, "care team 'South' is not one of yours"),
        ({"surgeon_username": "nobody"}, "surgeon_username 'nobody' is not a surgeon of North"),
        ({"surgeon_username": "drwest"}, "surgeon_username 'drwest' is not a surgeon of North"),
        ({"surgeon_username": "nurse1"}, "surgeon_username 'nurse1' is not a surgeon of North"),
        ({"surgery_date": "9999-12-31"}, "surgery_date 9999-12-31 is not a date between"),
        ({"consent_given_at": "0001-01-01"}, "consent_given_at '0001-01-01' is not between"),
        ({"date_of_birth": "0001-01-01"}, "date_of_birth 0001-01-01 is before 1900"),
        ({"mrn": "Z" * 33}, "MRN longer than 32 characters"),
        ({"last_name": "L" * 101}, "last_name longer than 100 characters"),
        ({"procedure": "hip"}, "procedure must be one of"),
        ({"language": "fr"}, "language must be one of"),
        ({"time_zone": "Mars/Olympus"}, "time_zone 'Mars/Olympus'"),
        ({"last_name": ""}, "empty last_name"),
        ({"consent_method": "telepathy"}, "consent_method must be one of"),
        ({"caregiver_phone": "abc"}, "caregiver_phone 'abc'"),
    ],
)
def test_each_invalid_row_says_why(team, overrides, reason):
    # A surgeon of another team only, and a nurse of this one: neither operates on its patients.
    make_team(name="West").members.add(make_user(username="drwest", role=User.Role.SURGEON))
    team.members.add(make_user(username="nurse1", role=User.Role.NURSE))
    (row,) = check(csv_text(line(**overrides)))
    assert row.outcome == patient_import.INVALID
    assert reason in row.reason


def test_nothing_is_saved_while_a_row_is_invalid_unless_skipping_is_chosen(team):
    rows = check(csv_text(line(), line(mrn="MRN100002", phone="12")))
    assert [r.outcome for r in rows] == [patient_import.NEW, patient_import.INVALID]
    assert not patient_import.save(rows, None, skip_invalid=False, update=False).saved
    assert not Patient.objects.exists()
    result = patient_import.save(rows, None, skip_invalid=True, update=False)
    assert result.saved and len(result.created) == 1 and result.skipped == 1
    assert list(Patient.objects.values_list("mrn", flat=True)) == ["MRN100001"]


def test_a_repeated_mrn_in_the_file_is_invalid(team):
    rows = check(csv_text(line(), line(phone="+17735550102")))
    assert rows[1].outcome == patient_import.INVALID and "twice" in rows[1].reason


def test_importing_again_skips_identical_rows_and_updates_changed_ones_only_when_asked(team):
    patient_import.save(check(csv_text(line())), None, skip_invalid=False, update=False)
    (same,) = check(csv_text(line()))
    assert same.outcome == patient_import.SAME
    (changed,) = check(csv_text(line(phone="+17735550177")))
    assert changed.outcome == patient_import.CHANGED and "phone" in changed.reason
    patient_import.save([changed], None, skip_invalid=False, update=False)
    assert Patient.objects.get().phone == "+17735550101"
    result = patient_import.save([changed], None, skip_invalid=False, update=True)
    assert Patient.objects.get().phone == "+17735550177"
    assert result.updated == [Patient.objects.get().pk]
    assert Enrollment.objects.count() == 1


def test_a_patient_of_another_team_is_not_touched(team):
    patient_import.save(check(csv_text(line())), None, skip_invalid=False, update=False)
    mine = make_team(name="South")
    mine.members.add(User.objects.get(username="drpatel"))
    (row,) = patient_import.check(
        csv_text(line(care_team="South")), CareTeam.objects.filter(pk=mine.pk)
    )
    assert row.outcome == patient_import.INVALID and "outside your teams" in row.reason


def test_a_stray_quote_is_a_row_error_not_rows_silently_swallowed(team):
    text = csv_text(line(), line(mrn="MRN100002", last_name="\"O'Brien"), line(mrn="MRN100003"))
    rows = check(text)
    assert rows[1].outcome == patient_import.INVALID
    assert "look for a stray quote" in rows[1].reason


def test_an_mrn_on_file_in_another_case_is_the_same_patient(team):
    patient_import.save(check(csv_text(line(mrn="abc123"))), None, skip_invalid=False, update=False)
    (row,) = check(csv_text(line(mrn="ABC123")))
    assert row.outcome == patient_import.SAME
    assert patient_import.save([row], None, skip_invalid=False, update=True).saved
    assert list(Patient.objects.values_list("mrn", flat=True)) == ["abc123"]


def test_an_mrn_matching_two_patients_in_other_cases_is_a_row_error_and_an_exact_one_wins(team):
    patient_import.save(check(csv_text(line(mrn="abc123"))), None, skip_invalid=False, update=False)
    upper = line(mrn="ABC123", phone="+17735550188", first_name="Upper")
    Patient.objects.create(**{**Patient.objects.values().get(), "id": None, "mrn": "ABC123"})
    (exact,) = check(csv_text(upper))
    assert exact.existing == Patient.objects.get(mrn="ABC123")
    (neither,) = check(csv_text(line(mrn="Abc123")))
    assert neither.outcome == patient_import.INVALID
    assert "matches 2 patients on file in other cases" in neither.reason


def test_an_update_keeps_what_the_file_leaves_blank_or_has_no_column_for(team):
    full = line(
        language="es",
        time_zone="America/Denver",
        caregiver_name="Ana",
        caregiver_phone="+17735550199",
    )
    patient_import.save(check(csv_text(full)), None, skip_invalid=False, update=False)
    # A file with only the required columns, and one with the optional cells blank.
    required = ",".join(patient_import.REQUIRED)
    values = dict(zip(patient_import.COLUMNS, line(phone="+17735550177").split(","), strict=True))
    short = "\n".join([required, ",".join(values[name] for name in patient_import.REQUIRED)])
    blank = csv_text(line(phone="+17735550177", language="", time_zone=""))
    for text in (short + "\n", blank):
        (row,) = check(text)
        assert row.outcome == patient_import.CHANGED and row.reason == "differs in phone"
        patient_import.save([row], None, skip_invalid=False, update=True)
        patient = Patient.objects.get()
        assert (patient.phone, patient.language, patient.time_zone) == (
            "+17735550177",
            "es",
            "America/Denver",
        )
        assert (patient.caregiver_name, patient.caregiver_phone) == ("Ana", "+17735550199")
        Patient.objects.update(phone="+17735550101")


def test_consent_in_a_later_file_starts_the_follow_up_of_a_patient_enrolled_without_it(team):
    unconsented = line(consent_given_at="", consent_method="")
    patient_import.save(check(csv_text(unconsented)), None, skip_invalid=False, update=False)
    # Enrolled as the enrollment form enrolls without consent: paused, nothing planned or sent.
    enrollment = Enrollment.objects.get()
    assert Patient.objects.get().consented_at is None
    assert enrollment.status == Enrollment.Status.PAUSED and not enrollment.checkins.exists()
    assert not OutboundMessage.objects.exists()
    (row,) = check(csv_text(line()))
    assert row.outcome == patient_import.CHANGED and row.reason == "differs in consent"
    patient_import.save([row], None, skip_invalid=False, update=True)
    patient = Patient.objects.get()
    assert patient.consented_at.date() == dt.date(2026, 1, 5)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE and enrollment.checkins.exists()
    event = AuditEvent.objects.get(action=audit.RECORD_CONSENT)
    assert (event.patient_id, event.detail) == (patient.pk, "written consent of 2026-01-05")
    # Consent on record already: the file's date does not replace it.
    (again,) = check(csv_text(line(consent_given_at="2026-02-01")))
    assert again.outcome == patient_import.SAME


def test_a_consent_time_without_a_zone_is_read_in_the_zone_on_file_when_the_file_leaves_it_blank(
    team,
):
    import zoneinfo

    unconsented = line(time_zone="America/Denver", consent_given_at="", consent_method="")
    patient_import.save(check(csv_text(unconsented)), None, skip_invalid=False, update=False)
    later = line(time_zone="", consent_given_at="2026-01-05T23:30")
    (row,) = check(csv_text(later))
    patient_import.save([row], None, skip_invalid=False, update=True)
    patient = Patient.objects.get()
    # Her clock in Denver, not the team's: the day staff wrote is the day on record.
    denver = zoneinfo.ZoneInfo("America/Denver")
    assert patient.consented_at == dt.datetime(2026, 1, 5, 23, 30, tzinfo=denver)
    assert patient.time_zone == "America/Denver"


def test_a_file_with_nul_characters_or_an_overlong_field_is_refused_with_a_reason(team):
    with pytest.raises(patient_import.BadFile, match="NUL characters"):
        check(csv_text(line(mrn="MRN\x00100001")))
    with pytest.raises(patient_import.BadFile, match="Line 2 cannot be read as CSV"):
        check(csv_text(line(caregiver_name="x" * 200_000)))


def test_a_file_with_only_its_header_is_refused_on_the_page_and_nothing_to_do_for_the_command(
    client, nurse, tmp_path
):
    html = client.post(reverse("patients-import"), {"file": upload(csv_text())}).content.decode()
    assert "The file has its header but no patient rows under it." in html
    path = tmp_path / "empty.csv"
    path.write_text(csv_text())
    call_command("import_patients", str(path))


def test_without_a_default_protocol_the_file_is_refused_with_a_reason_and_nothing_saved(
    client, nurse, tmp_path
):
    # A superuser unmarked the default in the admin: a new patient would have nothing to follow.
    Protocol.objects.update(is_default=False)
    text = csv_text(line())
    for data in ({"file": upload(text)}, {"csv": text, "skip_invalid": "on"}):
        response = client.post(reverse("patients-import"), data)
        assert response.status_code == 200
        assert "No protocol is marked as the default" in response.content.decode()
    path = tmp_path / "patients.csv"
    path.write_text(text)
    with pytest.raises(CommandError, match="No protocol is marked as the default"):
        call_command("import_patients", str(path))
    assert not Patient.objects.exists()


def test_a_file_without_the_columns_is_refused(team):
    with pytest.raises(patient_import.BadFile, match="Missing columns"):
        check("name,phone\nAnn,+13125550100\n")


def test_the_sample_file_has_the_documented_columns():
    assert SAMPLE.read_text().splitlines()[0] == HEADER


def test_the_command_reports_each_row_and_exits_non_zero_on_invalid_rows(team, tmp_path, capsys):
    path = tmp_path / "patients.csv"
    path.write_text(csv_text(line(), line(mrn="MRN100002", phone="12")))
    with pytest.raises(CommandError, match="1 invalid row"):
        call_command("import_patients", str(path))
    out = capsys.readouterr().out
    assert "row 2 MRN100001 new" in out and "row 3 MRN100002 invalid: phone" in out
    assert "Nothing saved" in out and not Patient.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_patients", str(path), "--skip-invalid")
    assert Patient.objects.count() == 1


def test_the_command_dry_run_saves_nothing_and_update_needs_confirming(team, tmp_path, capsys):
    path = tmp_path / "patients.csv"
    path.write_text(csv_text(line()))
    call_command("import_patients", str(path), "--dry-run")
    assert not Patient.objects.exists()
    call_command("import_patients", str(path))
    path.write_text(csv_text(line(first_name="Josefa")))
    call_command("import_patients", str(path))
    assert Patient.objects.get().first_name == "José"
    call_command("import_patients", str(path), "--update")
    assert Patient.objects.get().first_name == "Josefa"
    assert "1 updated" in capsys.readouterr().out


@pytest.fixture
def nurse(client, team):
    user = make_user(username="nina")
    team.members.add(user)
    client.force_login(user)
    return user


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("patients.csv", text.encode(), content_type="text/csv")


def test_the_page_reports_rows_and_imports_after_confirming(client, nurse):
    text = csv_text(line(), line(mrn="MRN100002", phone="12"))
    report = client.post(reverse("patients-import"), {"file": upload(text)})
    html = report.content.decode()
    assert "1 new, 0 unchanged, 0 changed, 1 invalid" in html
    assert "phone &#x27;12&#x27; is not a valid phone number" in html
    assert not Patient.objects.exists()
    refused = client.post(reverse("patients-import"), {"csv": text})
    assert "Nothing was saved" in refused.content.decode()
    assert not Patient.objects.exists()
    done = client.post(reverse("patients-import"), {"csv": text, "skip_invalid": "on"})
    assert "1 enrolled, 0 updated, 0 unchanged, 1 skipped" in done.content.decode()
    patient = Patient.objects.get()
    event = AuditEvent.objects.get(action=audit.IMPORT_PATIENTS)
    assert event.user == nurse and event.patients == [patient.pk] and event.path
    # The consent the file carried is on record with the same origin.
    consented = AuditEvent.objects.get(action=audit.RECORD_CONSENT)
    assert (consented.patient_id, consented.path) == (patient.pk, event.path)


def test_the_page_refuses_more_rows_than_it_imports_in_one_request(client, nurse):
    from followup.patient_list import MAX_ROWS

    rows = [line(mrn=f"MRN{n:06d}", phone=f"+1773555{n:04d}") for n in range(MAX_ROWS + 1)]
    for data in ({"file": upload(csv_text(*rows))}, {"csv": csv_text(*rows)}):
        html = client.post(reverse("patients-import"), data).content.decode()
        assert f"The file has {MAX_ROWS + 1:,} rows; this page imports up to {MAX_ROWS:,}" in html
    assert not Patient.objects.exists()
    # The command line takes the same file.
    assert len(check(csv_text(*rows))) == MAX_ROWS + 1


def test_the_page_only_imports_into_the_users_teams(client, nurse):
    make_team(name="South")
    text = csv_text(line(care_team="South"))
    html = client.post(reverse("patients-import"), {"file": upload(text)}).content.decode()
    assert "not one of yours" in html


def test_surgeons_and_auditors_may_not_import(client, team):
    surgeon = make_user(role=User.Role.SURGEON)
    team.members.add(surgeon)
    client.force_login(surgeon)
    assert client.get(reverse("patients-import")).status_code == 403
