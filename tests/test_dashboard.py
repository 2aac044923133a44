"""The nurses' dashboard and /healthz, through Django's test client."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from followup import audit
from followup import escalation as escalations
from followup.models import (
    AuditEvent,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Severity,
)
from tests import factories
from tests.factories import make_patient, make_surgery, make_user


def make_escalation(severity=Severity.URGENT, minutes_ago=0, **patient):
    p = make_patient(**patient)
    # Post-op days count in the patient's zone, which may be on another date than UTC.
    make_surgery(p, date=timezone.now().astimezone(p.tz).date() - dt.timedelta(days=6))
    return Escalation.objects.create(
        patient=p,
        severity=severity,
        findings=["numbness"],
        evidence={"numbness": "my left foot has gone numb"},
        opened_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def member_of_new_teams(*users):
    """A make_team that puts `users` on each team it makes."""
    make_team = factories.make_team

    def make(**overrides):
        team = make_team(**overrides)
        team.members.add(*users)
        return team

    return make


@pytest.fixture
def nurse_client(client, monkeypatch):
    nurse = make_user(username="nina")
    # Nurses see only their care teams' patients: this one works for every team a test makes.
    monkeypatch.setattr(factories, "make_team", member_of_new_teams(nurse))
    client.force_login(nurse)
    client.nurse = nurse
    return client


@pytest.mark.django_db
def test_the_dashboard_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("dashboard-rows")).status_code == 302


@pytest.mark.django_db
def test_escalations_are_listed_most_severe_then_oldest_first(nurse_client):
    urgent_old = make_escalation(Severity.URGENT, minutes_ago=30, last_name="Urgentold")
    emergency_new = make_escalation(Severity.EMERGENCY, minutes_ago=1, last_name="Emergencynew")
    emergency_old = make_escalation(Severity.EMERGENCY, minutes_ago=20, last_name="Emergencyold")
    html = nurse_client.get(reverse("dashboard-rows")).content.decode()
    order = [
        html.index(f'data-escalation="{e.pk}"') for e in (emergency_old, emergency_new, urgent_old)
    ]
    assert order == sorted(order)


@pytest.mark.django_db
def test_a_row_shows_patient_postop_day_findings_and_quoted_evidence(nurse_client):
    make_escalation(first_name="Ana", last_name="Ruiz")
    html = nurse_client.get("/").content.decode()
    assert "Ana Ruiz" in html
    assert "post-op day 6" in html
    assert "my left foot has gone numb" in html
    assert "numbness" in html


@pytest.mark.django_db
def test_times_are_shown_in_the_clinics_time_zone(nurse_client):
    e = make_escalation()
    Escalation.objects.filter(pk=e.pk).update(
        opened_at=dt.datetime(2026, 1, 15, 15, 5, tzinfo=dt.UTC)
    )
    html = nurse_client.get("/").content.decode()
    assert "Opened Thu 15 Jan 09:05 CST" in html


@pytest.mark.django_db
def test_a_text_from_an_unknown_number_shows_in_the_clock_of_the_users_first_team(client):
    nurse = make_user(username="nora")
    # Her first team (by when it was made) keeps Chicago's clock, whatever the names' order.
    factories.make_team(name="Zeta", time_zone="America/Chicago").members.add(nurse)
    factories.make_team(name="Alpha", time_zone="Asia/Tokyo").members.add(nurse)
    InboundMessage.objects.create(
        message_sid="SM" + "t" * 32, from_number="+17735550123", body="who is this",
        sender="unknown", assessment={"findings": []}, processed_at=timezone.now(),
        received_at=dt.datetime(2026, 1, 15, 15, 5, tzinfo=dt.UTC),
    )  # fmt: skip
    client.force_login(nurse)
    assert "Thu 15 Jan 09:05 CST" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_fake_gateway_banner_shows_on_staff_pages(nurse_client, settings):
    assert b"no real text messages or calls go out" in nurse_client.get("/").content
    settings.TWILIO_GATEWAY = "twilio"
    assert b"no real text messages or calls go out" not in nurse_client.get("/").content


@pytest.mark.django_db
def test_the_title_counts_emergencies_nobody_has_acknowledged(nurse_client):
    assert "<title>Escalations · Spine Follow-up</title>" in nurse_client.get("/").content.decode()
    make_escalation(Severity.EMERGENCY)
    acknowledged = make_escalation(Severity.EMERGENCY)
    escalations.acknowledge(acknowledged.pk, nurse_client.nurse)
    make_escalation(Severity.URGENT)
    html = nurse_client.get("/").content.decode()
    assert "<title>(1) Escalations · Spine Follow-up</title>" in html


def card_version(client, escalation):
    html = client.get(reverse("dashboard-rows")).content.decode()
    return re.search(rf'data-escalation="{escalation.pk}" data-version="([^"]+)"', html)[1]


@pytest.mark.django_db
def test_a_cards_version_changes_with_each_report_page_and_acknowledgement(nurse_client):
    e = make_escalation()
    versions = [card_version(nurse_client, e)]
    EscalationEvent.objects.create(escalation=e, kind=EscalationEvent.Kind.ATTACHED)
    versions.append(card_version(nurse_client, e))
    OutboundMessage.objects.create(to="+13125550100", body="page", kind="page", escalation=e)
    versions.append(card_version(nurse_client, e))
    escalations.acknowledge(e.pk, nurse_client.nurse)
    versions.append(card_version(nurse_client, e))
    assert len(set(versions)) == 4
    assert card_version(nurse_client, e) == versions[-1]


@pytest.mark.django_db
def test_rows_say_who_resolved_a_card_the_nurse_is_working_on(nurse_client):
    resolved, still_open = make_escalation(), make_escalation()
    escalations.resolve(resolved.pk, make_user(username="cole"), "advice")
    working = f"{resolved.pk},{still_open.pk},x,²,{10**30}"
    html = nurse_client.get(reverse("dashboard-rows"), {"working": working}).content.decode()
    assert f'<p hidden data-resolved="{resolved.pk}" data-resolved-by="cole"></p>' in html
    assert f'data-resolved="{still_open.pk}"' not in html
    assert "data-resolved=" not in nurse_client.get(reverse("dashboard-rows")).content.decode()


@pytest.mark.django_db
def test_acknowledging_records_who_and_when(nurse_client):
    e = make_escalation()
    response = nurse_client.post(reverse("acknowledge", args=[e.pk]))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == Escalation.Status.ACKNOWLEDGED
    assert e.acknowledged_by == nurse_client.nurse
    event = e.events.get(kind=EscalationEvent.Kind.ACKNOWLEDGED)
    assert event.actor == nurse_client.nurse


@pytest.mark.django_db
def test_acknowledging_what_a_colleague_acknowledged_says_so_and_records_it_as_it_was(
    nurse_client,
):
    e = make_escalation()
    colleague = make_user(username="ana", first_name="Ana", last_name="Ruiz")
    escalations.acknowledge(e.pk, colleague)
    response = nurse_client.post(reverse("acknowledge", args=[e.pk]), follow=True)
    assert "Already acknowledged by Ana Ruiz." in response.content.decode()
    e.refresh_from_db()
    assert e.acknowledged_by == colleague
    assert e.events.filter(kind=EscalationEvent.Kind.ACKNOWLEDGED).count() == 1
    event = AuditEvent.objects.get(action=audit.ACKNOWLEDGE)
    assert (event.user, event.detail) == (
        nurse_client.nurse,
        f"escalation {e.pk}: already acknowledged by ana",
    )


@pytest.mark.django_db
def test_marking_a_send_reviewed_a_second_time_says_so_and_keeps_the_first_reviewer(nurse_client):
    p = make_patient()
    failed = OutboundMessage.objects.create(
        patient=p, to=p.phone, body="q", kind="question", status="failed", error_code=21610
    )
    colleague = make_user(username="ana")
    OutboundMessage.objects.filter(pk=failed.pk).update(
        reviewed_at=timezone.now(), reviewed_by=colleague
    )
    response = nurse_client.post(reverse("send-reviewed", args=[failed.pk]), follow=True)
    assert "Already marked as reviewed." in response.content.decode()
    assert OutboundMessage.objects.get(pk=failed.pk).reviewed_by == colleague
    event = AuditEvent.objects.get(action=audit.REVIEW)
    assert event.detail == f"outbound message {failed.pk}: already reviewed"


@pytest.mark.django_db
def test_resolving_needs_an_outcome(nurse_client):
    e = make_escalation()
    nurse_client.post(reverse("resolve", args=[e.pk]), {"outcome": ""})
    e.refresh_from_db()
    assert e.status == Escalation.Status.OPEN
    nurse_client.post(
        reverse("resolve", args=[e.pk]), {"outcome": "advised_ed", "note": "sent to ED"}
    )
    e.refresh_from_db()
    assert (e.status, e.outcome, e.outcome_note) == ("resolved", "advised_ed", "sent to ED")
    assert e.resolved_by == nurse_client.nurse
    assert f'data-escalation="{e.pk}"' not in nurse_client.get("/").content.decode()


@pytest.mark.django_db
def test_resolving_twice_is_a_clear_message_not_an_error(nurse_client):
    e = make_escalation()
    escalations.resolve(e.pk, nurse_client.nurse, "no_action")
    response = nurse_client.post(
        reverse("resolve", args=[e.pk]), {"outcome": "advice"}, follow=True
    )
    assert response.status_code == 200
    assert b"already resolved" in response.content


@pytest.mark.django_db
def test_actions_on_a_missing_escalation_are_404(nurse_client):
    assert nurse_client.post(reverse("acknowledge", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_unknown_senders_and_late_triage_show_for_review(nurse_client, settings):
    InboundMessage.objects.create(
        message_sid="SM1", from_number="+17735559999", body="who is this", sender="unknown",
        assessment={"findings": []}, processed_at=timezone.now(),
    )  # fmt: skip
    p = make_patient()
    InboundMessage.objects.create(
        message_sid="SM2", from_number=p.phone, body="legs feel weird", sender="patient",
        patient=p, assessment={"findings": ["numbness"]},
        received_at=timezone.now() - dt.timedelta(seconds=settings.TRIAGE_OVERDUE_SECONDS + 5),
    )  # fmt: skip
    InboundMessage.objects.create(
        message_sid="SM3", from_number=p.phone, body="just arrived", sender="patient",
        patient=p, assessment={"findings": [], "severity": "none", "needs_review": False},
    )  # fmt: skip
    InboundMessage.objects.create(
        message_sid="SM5", from_number=p.phone, body="i peed myself", sender="patient",
        patient=p, assessment={"findings": ["bladder"], "severity": "emergency"},
    )  # fmt: skip
    InboundMessage.objects.create(
        message_sid="SM4", from_number=p.phone, body="cant feel my legs", sender="patient",
        patient=p, assessment=None, processed_at=timezone.now(),
    )  # fmt: skip
    photo = InboundMessage.objects.create(
        message_sid="SM6", from_number=p.phone, body="", sender="patient", patient=p,
        media_urls=["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"],
        assessment={"findings": [], "severity": "none"}, processed_at=timezone.now(),
    )  # fmt: skip
    html = nurse_client.get("/").content.decode()
    assert "Photo sent: look at it" in html and f"/inbound/{photo.pk}/media/0/" in html
    assert "Media/ME1" not in html  # staff open photos through our view, never Twilio's URL
    assert "cant feel my legs" in html and "Automatic triage failed" in html
    assert "who is this" in html and "Number not on file" in html
    assert "legs feel weird" in html and "Not yet triaged by the worker" in html
    assert "just arrived" not in html
    # A red flag shows the moment it is stored, before the worker opens its escalation.
    assert "i peed myself" in html and "Red flag: bladder" in html


@pytest.mark.django_db
def test_a_failed_send_shows_until_reviewed(nurse_client):
    p = make_patient()
    failed = OutboundMessage.objects.create(
        patient=p, to=p.phone, body="q", kind="question", status="failed", error_code=21610
    )
    assert "Twilio error 21610" in nurse_client.get("/").content.decode()
    nurse_client.post(reverse("send-reviewed", args=[failed.pk]))
    assert "Twilio error 21610" not in nurse_client.get("/").content.decode()


@pytest.mark.django_db
def test_healthz_reports_a_stale_worker(client):
    Schedule.objects.filter(name="dispatch").update(next_run=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["worker"].startswith("stale")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"outcome": "", "note": "called her"}, "Choose an outcome to resolve the escalation."),
        ({"outcome": "advice", "note": "n" * 2001}, "The note is longer than 2,000 characters"),
        ({"outcome": "advice", "note": "a\x00b"}, "The note is longer than 2,000 characters"),
    ],
)
def test_a_resolve_refused_says_why_and_leaves_the_escalation_open(nurse_client, data, said):
    from django.contrib.messages import get_messages

    escalation = make_escalation()
    response = nurse_client.post(reverse("resolve", args=[escalation.pk]), data)
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and shown[0].startswith(said)
    escalation.refresh_from_db()
    assert escalation.status != Escalation.Status.RESOLVED
    page = nurse_client.get(reverse("dashboard")).content.decode()
    assert '<textarea name="note" rows="2" maxlength="2000">' in page
