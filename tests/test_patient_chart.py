"""The pain chart's JSON, and the dashboard's findings in clinical words and assignment."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followup import audit
from followup.findings import FINDING_WORDS, finding_words
from followup.models import (
    Answer,
    AuditEvent,
    Escalation,
    InboundMessage,
    Severity,
    User,
)
from tests.factories import make_patient, make_surgery, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team(name="Spine North")


@pytest.fixture
def nurse(client, team):
    user = make_user(username="nell")
    team.members.add(user)
    client.force_login(user)
    return user


def answer(patient, days_after_surgery, pain=None, findings=(), severity=Severity.NONE):
    n = Answer.objects.count() + InboundMessage.objects.count() + 1
    surgery_day = patient.surgeries.get().date
    at = dt.datetime.combine(
        surgery_day + dt.timedelta(days=days_after_surgery), dt.time(12), tzinfo=patient.tz
    )
    message = InboundMessage.objects.create(
        message_sid=f"SM{n:032d}", from_number=patient.phone, body="x", patient=patient
    )
    return Answer.objects.create(
        patient=patient,
        message=message,
        question="pain",
        pain_score=pain,
        findings=list(findings),
        severity=severity,
        created_at=at,
    )


def chart_patient(team):
    patient = make_patient(care_team=team)
    make_surgery(patient, date=timezone.localdate() - dt.timedelta(days=10))
    return patient


def test_the_chart_gives_pain_by_postop_day_and_red_flags(client, nurse, team):
    patient = chart_patient(team)
    answer(patient, 1, pain=7)
    answer(patient, 3, pain=5)
    answer(patient, 4, findings=["numbness"], severity=Severity.URGENT)
    answer(patient, 5, findings=["constipation"], severity=Severity.ROUTINE)
    response = client.get(f"/patients/{patient.pk}/chart.json")
    assert response.status_code == 200
    data = response.json()
    assert data["pain"] == [{"day": 1, "score": 7}, {"day": 3, "score": 5}]
    assert data["flags"] == [
        {"day": 4, "severity": "urgent", "findings": ["New numbness or tingling"]}
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_reading_the_chart_is_audited(client, nurse, team):
    patient = chart_patient(team)
    client.get(f"/patients/{patient.pk}/chart.json")
    event = AuditEvent.objects.get(action=audit.VIEW_CHART)
    assert (event.patient_id, event.user_id) == (patient.pk, nurse.pk)


def test_another_teams_chart_is_not_found(client, nurse):
    stranger = chart_patient(make_team())
    assert client.get(f"/patients/{stranger.pk}/chart.json").status_code == 404
    assert not AuditEvent.objects.filter(action=audit.VIEW_CHART).exists()


def test_the_chart_costs_the_same_queries_however_long_the_history(client, nurse, team):
    patient = chart_patient(team)
    answer(patient, 1, pain=6)
    with CaptureQueriesContext(connection) as short:
        client.get(f"/patients/{patient.pk}/chart.json")
    for day in range(2, 30):
        answer(patient, day, pain=day % 10, findings=["fever"], severity=Severity.URGENT)
    with CaptureQueriesContext(connection) as long:
        response = client.get(f"/patients/{patient.pk}/chart.json")
    assert len(response.json()["pain"]) == 29
    assert len(long.captured_queries) == len(short.captured_queries)


def test_every_triage_code_has_clinical_words():
    from triage.rules import CODES

    assert set(CODES) <= set(FINDING_WORDS)
    assert finding_words("something_new") == "Something new"


def escalation_of(team, **fields):
    patient = make_patient(care_team=team, phone="+17735550123")
    make_surgery(patient)
    return Escalation.objects.create(
        patient=patient,
        severity=Severity.URGENT,
        findings=["numbness"],
        evidence={"numbness": "my left foot has gone numb"},
        **fields,
    )


def test_the_dashboard_shows_findings_in_words_and_phones_to_tap(client, nurse, team):
    escalation_of(team)
    html = client.get("/").content.decode()
    assert "New numbness or tingling" in html
    assert "my left foot has gone numb" in html
    assert 'href="tel:+17735550123"' in html


def test_an_acknowledged_escalation_looks_different_and_says_by_whom(client, nurse, team):
    colleague = make_user(username="ada")
    escalation_of(
        team,
        status=Escalation.Status.ACKNOWLEDGED,
        acknowledged_by=colleague,
        acknowledged_at=timezone.now() - dt.timedelta(minutes=7),
    )
    html = client.get("/").content.decode()
    assert "acked" in html.split('id="escalation-list"')[1].split(">")[1]
    assert "acknowledged by ada, 7 min ago" in html


def test_assign_to_me_takes_the_escalation_and_is_audited(client, nurse, team):
    escalation = escalation_of(team)
    assert "Assign to me" in client.get("/").content.decode()
    response = client.post(f"/escalations/{escalation.pk}/assign/")
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.assigned_to == nurse
    event = AuditEvent.objects.get(action=audit.ASSIGN)
    assert event.patient_id == escalation.patient_id
    html = client.get("/").content.decode()
    assert "assigned to nell" in html
    assert "Assign to me" not in html


def test_a_resolved_escalation_cannot_be_assigned(client, nurse, team):
    escalation = escalation_of(team, status=Escalation.Status.RESOLVED)
    client.post(f"/escalations/{escalation.pk}/assign/")
    escalation.refresh_from_db()
    assert escalation.assigned_to is None
    assert not AuditEvent.objects.filter(action=audit.ASSIGN).exists()


def test_a_surgeon_cannot_assign(client, team):
    surgeon = make_user(role=User.Role.SURGEON)
    team.members.add(surgeon)
    client.force_login(surgeon)
    escalation = escalation_of(team)
    assert client.post(f"/escalations/{escalation.pk}/assign/").status_code == 403
