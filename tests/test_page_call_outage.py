"""A clinician's page call while the database is down: said plainly, and a 1 pressed is not lost.

The call cannot read the page without the database, so it says so and points to the dashboard.
A 1 pressed then is kept in the spool and, once the database is back, acknowledges the
escalation at the time it was pressed, unless it was resolved meanwhile.
"""

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from followup import outage, replay, spool
from followup.escalation import acknowledge, resolve
from followup.models import Escalation, OutboundMessage, Severity
from followup.paging import advance_ladders
from tests.servers import free_port
from tests.test_paging import CALL_SID, DAY, at, open_escalation
from tests.test_paging import team as team  # a fixture
from tests.test_spool import database_down


def paged_by_call(team):
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    advance_ladders(at(DAY, 6))
    return escalation, OutboundMessage.objects.get(kind="page", channel="voice")


def spoken(response) -> str:
    assert response.status_code == 200
    twiml = response.content.decode()
    assert twiml.rstrip().endswith("<Hangup /></Response>")
    return twiml


def _post(params):
    post = QueryDict(mutable=True)
    for name, value in params.items():
        post[name] = value
    return post


@pytest.mark.django_db(transaction=True)
def test_a_page_call_without_the_database_says_it_cannot_read_the_page(team, twilio_post):
    _, call = paged_by_call(team)
    with database_down():
        twiml = spoken(
            twilio_post(reverse("twilio-voice-page", args=[call.pk]), {"CallSid": CALL_SID})
        )
    assert "cannot read the page" in twiml and "escalation dashboard" in twiml
    # Nothing of the patient can be said, nor is anything kept: the ladder calls again.
    assert "John" not in twiml and "<Gather" not in twiml
    assert spool.fallback().depth() == 0


@pytest.mark.django_db(transaction=True)
def test_a_1_pressed_while_the_database_is_down_acknowledges_on_replay_at_its_time(
    team, twilio_post
):
    escalation, call = paged_by_call(team)
    ack = reverse("twilio-voice-page-ack", args=[call.pk])
    with time_machine.travel(at(DAY, 7), tick=False), database_down():
        twiml = spoken(twilio_post(ack, {"CallSid": CALL_SID, "Digits": "1"}))
    assert "It is kept, and will be recorded" in twiml
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    with time_machine.travel(at(DAY, 12), tick=False):
        assert replay.replay().stored == 1
    escalation.refresh_from_db()
    assert (escalation.status, escalation.acknowledged_by.username) == ("acknowledged", "oncall")
    assert escalation.acknowledged_at == at(DAY, 7)
    assert escalation.events.get(kind="acknowledged").at == at(DAY, 7)
    assert advance_ladders(at(DAY, 60)) == 0
    # Replayed again (a replay cut short before removing it): nothing changes.
    assert (
        replay.replay_entry(
            spool.Entry.received(
                "page-ack", ack, _post({"CallSid": CALL_SID, "Digits": "1"})
            ).to_json()
        )
        is False
    )
    escalation.refresh_from_db()
    assert escalation.acknowledged_at == at(DAY, 7)


@pytest.mark.django_db(transaction=True)
def test_a_replayed_1_leaves_an_escalation_resolved_meanwhile_as_it_is(team, twilio_post):
    escalation, call = paged_by_call(team)
    ack = reverse("twilio-voice-page-ack", args=[call.pk])
    with database_down():
        spoken(twilio_post(ack, {"CallSid": CALL_SID, "Digits": "1"}))
    backup = escalation.patient.care_team.backup
    acknowledge(escalation.pk, backup)
    resolve(escalation.pk, backup, outcome=Escalation.Outcome.CLINIC_VISIT, note="")
    counts = replay.replay()
    assert (counts.stored, counts.dead, counts.left) == (1, 0, 0)
    escalation.refresh_from_db()
    assert (escalation.status, escalation.acknowledged_by) == ("resolved", backup)


@pytest.mark.django_db(transaction=True)
def test_another_key_while_the_database_is_down_keeps_nothing(team, twilio_post):
    _, call = paged_by_call(team)
    with database_down():
        twiml = spoken(
            twilio_post(
                reverse("twilio-voice-page-ack", args=[call.pk]),
                {"CallSid": CALL_SID, "Digits": "7"},
            )
        )
    assert "cannot read the page" in twiml
    assert spool.fallback().depth() == 0


@pytest.mark.django_db(transaction=True)
def test_a_1_that_nothing_can_keep_asks_for_the_dashboard(team, twilio_post, settings, tmp_path):
    escalation, call = paged_by_call(team)
    (tmp_path / "a-file").write_text("")
    settings.INBOUND_SPOOL_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.INBOUND_SPOOL_FALLBACK = str(tmp_path / "a-file" / "inbound.jsonl")
    outage._mark_down()
    ack = reverse("twilio-voice-page-ack", args=[call.pk])
    twiml = spoken(twilio_post(ack, {"CallSid": CALL_SID, "Digits": "1"}))
    assert "Please acknowledge on the escalation dashboard" in twiml
    assert "kept" not in twiml
    outage._down_until = 0.0
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
