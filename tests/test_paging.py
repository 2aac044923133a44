"""The escalation ladder with time moved forward: on-call, then backup, repeating until acked."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from followup.models import (
    CareItem,
    Escalation,
    EscalationEvent,
    OutboundMessage,
    Severity,
    WorkerPass,
)
from followup.paging import advance_ladders
from tests.factories import make_patient, make_surgery, make_team, make_user
from tests.test_webhooks import SMS, inbound

CALL_SID = "CA" + "1" * 32

ROOT = Path(__file__).resolve().parent.parent
# Tuesday 2026-03-03 at 22:00 in Chicago: after business hours.
NIGHT = dt.datetime(2026, 3, 4, 4, 0, tzinfo=dt.UTC)
# Tuesday 2026-03-03 at 10:00 in Chicago: business hours.
DAY = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def team():
    on_call = make_user(
        username="oncall", first_name="Olga", last_name="Cruz", phone="+13125550801"
    )
    backup = make_user(username="backup", first_name="Ben", last_name="Hale", phone="+13125550802")
    return make_team(on_call=on_call, backup=backup)


def open_escalation(team, severity, when):
    from followup.paging import schedule_ladder

    patient = make_patient(first_name="John", last_name="Smith", mrn="00451234", care_team=team)
    make_surgery(patient)
    escalation = Escalation.objects.create(
        patient=patient, severity=severity, findings=["saddle_numbness", "bladder"],
        evidence={"saddle_numbness": "numb down there"}, opened_at=when,
    )  # fmt: skip
    schedule_ladder(escalation, when)
    escalation.save()
    return escalation


def pages(kind=None):
    queryset = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.PAGE).order_by("pk")
    if kind:
        queryset = queryset.filter(channel=kind)
    return [(p.staff.username, p.channel) for p in queryset]


def at(when, minutes):
    return when + dt.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_an_emergency_pages_nobody_before_the_acknowledgement_timeout(team):
    open_escalation(team, Severity.EMERGENCY, DAY)
    assert advance_ladders(at(DAY, 4.9)) == 0
    assert pages() == []


@pytest.mark.django_db
def test_an_unacknowledged_emergency_pages_the_on_call_once_by_text_then_by_call(team, outbox):
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    assert advance_ladders(at(DAY, 5)) == 1
    assert advance_ladders(at(DAY, 5)) == 0  # a second pass at the same moment
    assert pages() == [("oncall", "sms")]
    text = outbox[-1]["body"]
    assert "JS" in text and "MRN ending 1234" in text and "saddle numbness, bladder" in text
    assert escalation.patient.phone in text  # the callback number
    assert "Smith" not in text and "00451234" not in text  # the minimum, no more
    advance_ladders(at(DAY, 6))
    assert pages() == [("oncall", "sms"), ("oncall", "voice")]
    call = outbox[-1]
    assert call["kind"] == "call"
    page = OutboundMessage.objects.get(channel="voice")
    assert call["url"].endswith(reverse("twilio-voice-page", args=[page.pk]))
    paged = escalation.events.filter(kind=EscalationEvent.Kind.PAGED).count()
    assert paged == 2


@pytest.mark.django_db
def test_still_unacknowledged_the_backup_is_paged_then_both_repeatedly(team):
    open_escalation(team, Severity.EMERGENCY, DAY)
    for minutes in (5, 6, 19.9):
        advance_ladders(at(DAY, minutes))
    assert pages() == [("oncall", "sms"), ("oncall", "voice")]
    advance_ladders(at(DAY, 20))  # 15 minutes after the first page
    assert pages()[2:] == [("backup", "sms"), ("backup", "voice")]
    advance_ladders(at(DAY, 30))
    assert pages()[4:] == [
        ("oncall", "sms"), ("oncall", "voice"), ("backup", "sms"), ("backup", "voice")
    ]  # fmt: skip
    advance_ladders(at(DAY, 40))
    assert len(pages()) == 12


@pytest.mark.django_db
def test_replying_to_the_page_by_text_acknowledges_and_stops_the_ladder(team, twilio_post):
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    with time_machine.travel(at(DAY, 5), tick=False):
        advance_ladders()
        response = twilio_post(SMS, inbound("+13125550801", "ok calling"))
    assert b"Acknowledged by Olga Cruz" in response.content
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by.username == "oncall"
    assert escalation.acknowledged_at == at(DAY, 5)
    assert advance_ladders(at(DAY, 60)) == 0
    assert pages() == [("oncall", "sms")]


@pytest.mark.django_db
def test_pressing_1_on_the_page_call_acknowledges(team, twilio_post):
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    advance_ladders(at(DAY, 6))
    call = OutboundMessage.objects.get(channel="voice")
    twiml = twilio_post(reverse("twilio-voice-page", args=[call.pk]), {"CallSid": CALL_SID})
    assert b"<Gather" in twiml.content and b"Press 1 to acknowledge" in twiml.content
    assert b"M R N ending 1 2 3 4" in twiml.content
    ack = reverse("twilio-voice-page-ack", args=[call.pk])
    wrong = twilio_post(ack, {"CallSid": CALL_SID, "Digits": "7"})
    assert b"<Redirect>" in wrong.content
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    right = twilio_post(ack, {"CallSid": CALL_SID, "Digits": "1"})
    assert b"Acknowledged" in right.content
    escalation.refresh_from_db()
    assert (escalation.status, escalation.acknowledged_by.username) == ("acknowledged", "oncall")
    assert advance_ladders(at(DAY, 60)) == 0


@pytest.mark.django_db
def test_the_page_call_webhooks_check_the_signature(team, client):
    open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    advance_ladders(at(DAY, 6))
    call = OutboundMessage.objects.get(channel="voice")
    path = reverse("twilio-voice-page-ack", args=[call.pk])
    assert client.post(path, {"Digits": "1"}).status_code == 403
    assert Escalation.objects.get().status == Escalation.Status.OPEN


@pytest.mark.django_db
def test_an_urgent_item_in_business_hours_waits_for_the_nurses(team):
    escalation = open_escalation(team, Severity.URGENT, DAY)
    assert advance_ladders(at(DAY, 60)) == 0
    # Business hours end at 17:00 Chicago (23:00 UTC): the on-call takes over.
    assert escalation.next_page_at == dt.datetime(2026, 3, 3, 23, 0, tzinfo=dt.UTC)
    assert advance_ladders(dt.datetime(2026, 3, 3, 23, 0, tzinfo=dt.UTC)) == 1


@pytest.mark.django_db
def test_an_urgent_item_after_hours_goes_to_the_on_call_at_once(team):
    open_escalation(team, Severity.URGENT, NIGHT)
    assert advance_ladders(NIGHT) == 1
    assert pages() == [("oncall", "sms")]


@pytest.mark.django_db
def test_a_team_with_nobody_on_call_records_that_nobody_could_be_paged():
    team = make_team()
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    event = escalation.events.get(kind=EscalationEvent.Kind.PAGED)
    assert "Nobody to page" in event.note


@pytest.mark.django_db(transaction=True)
def test_the_ladder_survives_a_worker_restart(team, outbox):
    open_escalation(team, Severity.EMERGENCY, DAY)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TWILIO_GATEWAY": "fake",
    }

    def worker_pass(when):
        result = subprocess.run(
            [sys.executable, "manage.py", "advance_ladders", "--now", when.isoformat()],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return result.stdout.strip()

    # Each pass is a new process: all the ladder knows lives in the database.
    assert worker_pass(at(DAY, 5)) == "Sent 1 page."
    assert worker_pass(at(DAY, 6)) == "Sent 1 page."
    assert worker_pass(at(DAY, 6)) == "Sent 0 pages."
    assert worker_pass(at(DAY, 20)) == "Sent 2 pages."
    assert pages() == [
        ("oncall", "sms"), ("oncall", "voice"), ("backup", "sms"), ("backup", "voice")
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_escalation_whose_step_fails_is_shown_and_the_others_are_paged(team, outbox):
    broken = open_escalation(team, Severity.EMERGENCY, DAY)
    # Findings stored by some older code as numbers: rendering the page raises.
    Escalation.objects.filter(pk=broken.pk).update(findings=[7])
    other = make_patient(care_team=team)
    fine = Escalation.objects.create(patient=other, severity=Severity.EMERGENCY, opened_at=DAY)
    from followup.paging import schedule_ladder

    schedule_ladder(fine, DAY)
    fine.save()
    assert advance_ladders(at(DAY, 5)) == 1
    assert [p.escalation_id for p in OutboundMessage.objects.filter(kind="page")] == [fine.pk]
    item = CareItem.objects.get(patient=broken.patient)
    assert (item.kind, item.urgent) == (CareItem.Kind.PAGING_FAILED, True)
    assert "AttributeError" in item.detail
    run = WorkerPass.objects.get(name="paging")
    assert run.items_failed == 1 and f"escalation {broken.pk}: AttributeError" in run.error
    # An emergency is never given up on: tried again each pass, the one item kept up to date.
    advance_ladders(at(DAY, 6))
    assert WorkerPass.objects.get(name="paging").items_failed == 1
    assert CareItem.objects.filter(patient=broken.patient).count() == 1
    Escalation.objects.filter(pk=broken.pk).update(findings=["saddle_numbness"])
    advance_ladders(at(DAY, 7))
    assert OutboundMessage.objects.filter(escalation=broken, kind="page").count() == 1


@pytest.mark.django_db
def test_a_page_whose_send_was_lost_is_sent_by_the_next_paging_pass_exactly_once(
    team, outbox, monkeypatch
):
    from followup import paging

    open_escalation(team, Severity.EMERGENCY, DAY)
    with monkeypatch.context() as patched, time_machine.travel(at(DAY, 5), tick=False):
        # The worker dies after writing the page, before handing it to Twilio.
        patched.setattr(paging, "send_message", lambda *args, **kwargs: False)
        advance_ladders()
    assert outbox == []
    with time_machine.travel(at(DAY, 5.6), tick=False):  # 36 s later
        advance_ladders()
    assert [(m["to"], m["kind"]) for m in outbox] == [("+13125550801", "sms")]
    with time_machine.travel(at(DAY, 5.9), tick=False):
        advance_ladders()
    assert len(outbox) == 1
    assert OutboundMessage.objects.get(kind="page").status == OutboundMessage.Status.ACCEPTED
