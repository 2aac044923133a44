"""Enrolling a patient from the nurse's form: checks, preview, consent, the welcome text."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf

from followup import audit
from followup.models import AuditEvent, Enrollment, OutboundMessage, Patient, Protocol, User
from tests.factories import make_patient, make_team, make_user

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
URL = "/patients/new/"


@pytest.fixture
def team():
    return make_team(name="Spine North", time_zone="America/Chicago")


@pytest.fixture
def nurse(client, team):
    user = make_user(username="nell")
    team.members.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def surgeon(team):
    user = make_user(username="dr_sam", role=User.Role.SURGEON, last_name="Sam")
    team.members.add(user)
    return user


@pytest.fixture(autouse=True)
def _tasks_inline(monkeypatch):
    # The welcome's send task runs in the test, as the worker would run it after commit.
    monkeypatch.setattr(Conf, "SYNC", True)


def form(team, surgeon, **overrides):
    today = timezone.localdate()
    data = {
        "first_name": "Rosa",
        "last_name": "Vega",
        "date_of_birth": "1958-03-14",
        "mrn": "MRN900001",
        "phone": "(312) 555-0142",
        "language": "en",
        "time_zone": "America/Chicago",
        "caregiver_name": "",
        "caregiver_phone": "",
        "preferred_channel": "sms",
        "accepts_calls": "on",
        "care_team": team.pk,
        "surgery_date": (today - dt.timedelta(days=1)).isoformat(),
        "procedure": "tlif",
        "levels": "L4-L5",
        "approach": "posterior",
        "surgeon": surgeon.pk,
        "protocol": Protocol.objects.default().pk,
        "consent": "yes",
        "consent_method": "in_person",
        # As the clock shows it in the patient's time zone.
        "consent_at": (timezone.localtime(timezone=CHICAGO) - dt.timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "enroll": "1",
    }
    data.update(overrides)
    return data


def test_the_form_preselects_the_default_protocol(client, nurse, surgeon):
    response = client.get(URL)
    assert response.status_code == 200
    default = Protocol.objects.default()
    assert f'<option value="{default.pk}" selected>' in response.content.decode()


def test_a_surgeon_may_not_enroll(client, team):
    surgeon = make_user(role=User.Role.SURGEON)
    team.members.add(surgeon)
    client.force_login(surgeon)
    assert client.get(URL).status_code == 403


@time_machine.travel(dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC), tick=False)
def test_enrolling_saves_the_patient_and_sends_the_welcome(
    client, nurse, team, surgeon, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(team, surgeon))
    patient = Patient.objects.get(mrn="MRN900001")
    assert response.status_code == 302
    assert response["Location"] == reverse("patient-detail", args=[patient.pk])
    assert patient.phone == "+13125550142"
    assert patient.consented_at is not None
    assert patient.enrollments.get().status == Enrollment.Status.ACTIVE
    welcome = OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME)
    assert welcome.status == OutboundMessage.Status.ACCEPTED
    assert [m["to"] for m in outbox] == ["+13125550142"]
    assert "Spine North" in outbox[0]["body"]
    event = AuditEvent.objects.get(action=audit.ENROLL)
    assert event.patient_id == patient.pk
    assert event.user_id == nurse.pk
    assert "in_person" in event.detail


@time_machine.travel(dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC), tick=False)
def test_consent_time_comes_from_the_form_in_the_patients_time_zone(client, nurse, team, surgeon):
    client.post(URL, form(team, surgeon, consent_at="2026-05-04T09:30"))
    patient = Patient.objects.get(mrn="MRN900001")
    # 09:30 in Chicago (UTC-5 in May), where the server keeps UTC.
    assert patient.consented_at == dt.datetime(2026, 5, 4, 14, 30, tzinfo=dt.UTC)


@time_machine.travel(dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("consent_at", "0001-01-01T00:00", "Choose a date between 1900 and 2999."),
        ("consent_at", "2026-05-04T10:30", "Consent cannot be given in the future."),
        ("date_of_birth", "0001-01-01", "Choose a date between 1900 and 2999."),
        ("date_of_birth", "2030-01-01", "The date of birth must be in the past."),
    ],
)
def test_a_date_nobody_means_is_a_form_error_and_nothing_is_saved(
    client, nurse, team, surgeon, field, value, error
):
    response = client.post(URL, form(team, surgeon, **{field: value}))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Patient.objects.exists()


def test_without_consent_the_patient_is_enrolled_but_nothing_is_sent(
    client, nurse, team, surgeon, outbox, django_capture_on_commit_callbacks
):
    data = form(team, surgeon, consent="no", consent_method="", consent_at="")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(URL, data)
    assert queued == []
    patient = Patient.objects.get(mrn="MRN900001")
    assert patient.consented_at is None
    enrollment = patient.enrollments.get()
    assert enrollment.status == Enrollment.Status.PAUSED
    assert not enrollment.checkins.exists()
    assert not OutboundMessage.objects.filter(patient=patient).exists()
    assert outbox == []


def test_consent_given_needs_how_and_when(client, nurse, team, surgeon):
    response = client.post(URL, form(team, surgeon, consent_method="", consent_at=""))
    assert response.status_code == 200
    assert "Say how consent was given." in response.content.decode()
    assert "Say when consent was given." in response.content.decode()
    assert not Patient.objects.filter(mrn="MRN900001").exists()


@time_machine.travel(dt.datetime(2026, 5, 5, 3, 0, tzinfo=dt.UTC), tick=False)
def test_in_quiet_hours_the_welcome_waits_for_the_morning(
    client, nurse, team, surgeon, outbox, django_capture_on_commit_callbacks
):
    # 22:00 in Chicago: inside the default quiet hours (21:00 to 08:00).
    data = form(team, surgeon, consent_at="2026-05-04T21:50", surgery_date="2026-05-04")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(URL, data)
    assert len(queued) == 1
    welcome = OutboundMessage.objects.get(kind=OutboundMessage.Kind.WELCOME)
    assert welcome.status == OutboundMessage.Status.QUEUED
    assert welcome.next_attempt_at == dt.datetime(2026, 5, 5, 13, 0, tzinfo=dt.UTC)
    assert outbox == []


def test_the_phone_must_be_a_real_number(client, nurse, team, surgeon):
    response = client.post(URL, form(team, surgeon, phone="12"))
    assert response.status_code == 200
    assert "not a" in response.content.decode()
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("days", "error"),
    [(-400, "more than a year ago"), (100, "more than 90 days ahead")],
)
def test_an_implausible_surgery_date_is_refused(client, nurse, team, surgeon, days, error):
    day = timezone.localdate() + dt.timedelta(days=days)
    response = client.post(URL, form(team, surgeon, surgery_date=day.isoformat()))
    assert error in response.content.decode()
    assert not Patient.objects.exists()


def test_a_surgeon_of_another_team_cannot_be_chosen(client, nurse, team, surgeon):
    stranger = make_user(role=User.Role.SURGEON)
    make_team().members.add(stranger)
    data = form(team, surgeon)
    data["surgeon"] = stranger.pk
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not Patient.objects.exists()


def test_preview_shows_dates_and_welcome_without_saving(client, nurse, team, surgeon, outbox):
    data = form(team, surgeon)
    del data["enroll"]
    data["preview"] = "1"
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="enroll-preview"' in html
    assert "Spine North" in html.split('id="welcome-text"')[1]
    assert "data-day=" in html
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action=audit.ENROLL).exists()
    assert outbox == []


def test_a_duplicate_mrn_in_my_team_links_to_the_patient(client, nurse, team, surgeon):
    existing = make_patient(mrn="MRN900001", care_team=team, first_name="Olga")
    response = client.post(URL, form(team, surgeon))
    html = response.content.decode()
    assert "This MRN is already enrolled" in html
    assert reverse("patient-detail", args=[existing.pk]) in html
    assert Patient.objects.count() == 1


def test_a_duplicate_mrn_in_another_team_tells_nothing_about_the_patient(
    client, nurse, team, surgeon
):
    other = make_patient(mrn="MRN900001", first_name="Olga", last_name="Secret")
    response = client.post(URL, form(team, surgeon))
    html = response.content.decode()
    assert "This MRN is already enrolled by another care team." in html
    assert "Secret" not in html
    assert reverse("patient-detail", args=[other.pk]) not in html
    assert Patient.objects.count() == 1


def test_a_shared_phone_warns_but_does_not_block(client, nurse, team, surgeon):
    make_patient(phone="+13125550142", care_team=team)
    data = form(team, surgeon)
    del data["enroll"]
    data["preview"] = "1"
    assert 'id="shared-phone"' in client.post(URL, data).content.decode()
    data = form(team, surgeon)
    assert client.post(URL, data).status_code == 302
    assert Patient.objects.filter(phone="+13125550142").count() == 2


@pytest.mark.parametrize("field", ["phone", "caregiver_phone"])
def test_a_number_of_another_teams_patient_is_refused(client, nurse, team, surgeon, field):
    # Replies from it would match no patient: that team's red flags would open no escalation.
    make_patient(phone="+13125550143", care_team=make_team(name="South"))
    response = client.post(URL, form(team, surgeon, **{field: "+13125550143"}))
    assert response.status_code == 200
    assert "A patient of another care team (or their caregiver) has this number" in (
        response.content.decode()
    )
    assert Patient.objects.count() == 1


def test_a_team_the_user_is_not_on_cannot_be_chosen(client, nurse, team, surgeon):
    response = client.post(URL, form(team, surgeon, care_team=make_team().pk))
    assert response.status_code == 200
    assert not Patient.objects.exists()
