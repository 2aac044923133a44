"""Twilio's errors, timeouts and 5xx through a stub HTTP client: no duplicate, nothing lost."""

import datetime as dt
import json
import logging
from email.utils import format_datetime

import pytest
import requests
from django.utils import timezone
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from followup import dispatch, sending
from followup.dashboard import failed_sends
from followup.gateway import TransportError, TwilioGateway, get_gateway
from followup.models import CareItem, OutboundMessage, Patient, WorkerPass
from tests.factories import make_patient, make_user
from tests.test_dispatch import make_due

ACCOUNT = "AC" + "a" * 32


class ScriptedTwilio(HttpClient):
    """Answers each request with the next scripted reply, as Twilio's REST API would."""

    def __init__(self, *replies):
        super().__init__(logging.getLogger("scripted"), False, None)
        self.replies = list(replies)
        self.requests = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append((method, data or params))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        status, body = reply
        return Response(status, json.dumps(body))

    def posts(self):
        return [data for method, data in self.requests if method == "POST"]

    def lookups(self):
        return [params for method, params in self.requests if method == "GET"]


def error(status, code, message="error"):
    return status, {"code": code, "message": message, "more_info": "https://x", "status": status}


def accepted(sid="SM" + "1" * 32, body=""):
    return 201, {"sid": sid, "status": "queued", "body": body, "to": "+1", "date_created": None}


def listing(*messages):
    return 200, {"messages": list(messages), "next_page_uri": None, "page": 0, "page_size": 50}


def record(body, created, sid="SM" + "2" * 32):
    """A sent Message as Twilio lists it: times in RFC 2822, to the second."""
    stamp = format_datetime(created.astimezone(dt.UTC).replace(microsecond=0), usegmt=True)
    return {
        "sid": sid, "status": "sent", "body": body, "to": "+1", "direction": "outbound-api",
        "date_created": stamp, "date_updated": stamp, "date_sent": stamp,
    }  # fmt: skip


def gateway(http):
    return TwilioGateway(Client(ACCOUNT, "token", http_client=http), "+15005550006")


def later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_a_5xx_after_twilio_accepted_is_adopted_on_lookup_not_resent():
    (checkin,) = make_due()
    http = ScriptedTwilio(error(500, 20500, "Internal Server Error"))
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    http.replies += [listing(record(message.body, message.created_at))]
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == ("accepted", "SM" + "2" * 32)
    assert len(http.posts()) == 1


@pytest.mark.django_db
def test_a_5xx_twilio_has_no_record_of_is_resent_once():
    (checkin,) = make_due()
    http = ScriptedTwilio(error(503, 503, "Service Unavailable"), listing(), accepted())
    dispatch.dispatch_due(gateway=gateway(http))
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    dispatch.dispatch_due(now=later(4), gateway=gateway(http))
    assert len(http.posts()) == 2
    assert OutboundMessage.objects.get(checkin=checkin).status == "accepted"


@pytest.mark.django_db
def test_a_429_is_retried_later_and_sent_once():
    (checkin,) = make_due()
    http = ScriptedTwilio(error(429, 20429, "Too Many Requests"), accepted())
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == "queued" and message.error_code == 20429
    dispatch.dispatch_due(now=later(5), gateway=gateway(http))
    dispatch.dispatch_due(now=later(60), gateway=gateway(http))
    assert len(http.posts()) == 2
    message.refresh_from_db()
    assert message.status == "accepted"


@pytest.mark.django_db
def test_21610_marks_the_patient_opted_out_and_is_never_retried():
    (checkin,) = make_due()
    http = ScriptedTwilio(error(400, 21610, "Attempt to send to unsubscribed recipient"))
    dispatch.dispatch_due(gateway=gateway(http))
    dispatch.dispatch_due(now=later(60), gateway=gateway(http))
    assert len(http.posts()) == 1
    message = OutboundMessage.objects.get(checkin=checkin)
    assert (message.status, message.error_code) == ("failed", 21610)
    patient = Patient.objects.get(pk=checkin.enrollment.patient_id)
    assert patient.sms_opted_out_at is not None
    assert CareItem.objects.get(patient=patient).kind == CareItem.Kind.OPTED_OUT
    assert message in failed_sends(later(60))


@pytest.mark.django_db
def test_a_timeout_with_lookups_failing_stays_for_staff_and_is_never_resent():
    (checkin,) = make_due()
    http = ScriptedTwilio(
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectionError("connection refused"),
        requests.exceptions.ConnectionError("connection refused"),
    )
    dispatch.dispatch_due(gateway=gateway(http))
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    dispatch.dispatch_due(now=later(10), gateway=gateway(http))
    assert len(http.posts()) == 1
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.SENDING
    assert message in failed_sends(later(10))


@pytest.mark.django_db
def test_a_refused_connection_is_retried_because_twilio_never_saw_it():
    (checkin,) = make_due()
    http = ScriptedTwilio(requests.exceptions.ConnectTimeout("connect timed out"), accepted())
    dispatch.dispatch_due(gateway=gateway(http))
    dispatch.dispatch_due(now=later(5), gateway=gateway(http))
    assert len(http.posts()) == 2
    assert OutboundMessage.objects.get(checkin=checkin).status == "accepted"


def lost_answer():
    """A 503: Twilio may or may not have taken the text."""
    return error(503, 503, "Service Unavailable")


class FirstSendUncertain:
    """The fake gateway, but the first send fails with an unknown outcome before Twilio has it."""

    def __init__(self):
        self.real = get_gateway()
        self.failed = False

    def send_sms(self, to, body, *, status_callback=None):
        if not self.failed:
            self.failed = True
            raise TransportError("HTTP 503", permanent=False, uncertain=True, code=503)
        return self.real.send_sms(to, body, status_callback=status_callback)

    def find_sms(self, to, body, *, since):
        return self.real.find_sms(to, body, since=since)


def write(patient, body):
    return OutboundMessage.objects.create(
        patient=patient, to=patient.phone, body=body, kind=OutboundMessage.Kind.OTHER
    )


@pytest.mark.django_db
def test_an_uncertain_send_never_takes_the_sid_of_an_earlier_text_with_the_same_words(outbox):
    patient = make_patient()
    first = write(patient, "Reminder: your clinic visit is tomorrow at 10.")
    assert sending.send_message(first.pk)
    first.refresh_from_db()
    second = write(patient, first.body)
    gateway = FirstSendUncertain()
    assert not sending.send_message(second.pk, gateway)
    dispatch.dispatch_due(now=later(3), gateway=gateway)  # Twilio lists only the first text
    dispatch.dispatch_due(now=later(4), gateway=gateway)
    second.refresh_from_db()
    assert second.status == OutboundMessage.Status.ACCEPTED
    assert second.twilio_sid == outbox[-1]["sid"] != first.twilio_sid
    assert [m["body"] for m in outbox] == [first.body, first.body]
    assert OutboundMessage.objects.get(pk=first.pk).twilio_sid == first.twilio_sid
    assert WorkerPass.objects.get(name="dispatch").error == ""


@pytest.mark.django_db
def test_the_lookup_takes_only_texts_created_since_the_row_was_written_less_the_clock_skew():
    (checkin,) = make_due()
    http = ScriptedTwilio(lost_answer())
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    # Created half a minute before our row: an older text with the same words, not ours.
    older = record(message.body, message.created_at - dt.timedelta(seconds=30))
    http.replies += [listing(older), accepted("SM" + "3" * 32)]
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    dispatch.dispatch_due(now=later(4), gateway=gateway(http))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == ("accepted", "SM" + "3" * 32)
    assert len(http.posts()) == 2
    (params,) = http.lookups()
    assert params["To"] == message.to
    # Never by sent date: a text still queued at Twilio has none, and would be sent twice.
    assert not any(name.startswith("DateSent") for name in params)


@pytest.mark.django_db
def test_a_text_still_queued_at_twilio_is_adopted_not_sent_again():
    (checkin,) = make_due()
    http = ScriptedTwilio(lost_answer())
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    queued = {**record(message.body, message.created_at), "status": "queued", "date_sent": None}
    http.replies += [listing(queued)]
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == ("accepted", "SM" + "2" * 32)
    assert len(http.posts()) == 1


@pytest.mark.django_db
def test_a_text_from_within_the_clock_skew_of_the_row_is_still_adopted():
    (checkin,) = make_due()
    http = ScriptedTwilio(lost_answer())
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    # Twilio's clock a little behind ours, and its time cut to the second.
    http.replies += [listing(record(message.body, message.created_at - dt.timedelta(seconds=2)))]
    dispatch.dispatch_due(now=later(3), gateway=gateway(http))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == ("accepted", "SM" + "2" * 32)
    assert len(http.posts()) == 1


@pytest.mark.django_db
def test_several_texts_that_could_be_the_lost_send_go_to_staff_neither_adopted_nor_resent(client):
    (checkin,) = make_due()
    http = ScriptedTwilio(lost_answer())
    dispatch.dispatch_due(gateway=gateway(http))
    message = OutboundMessage.objects.get(checkin=checkin)
    after = message.created_at + dt.timedelta(seconds=1)
    http.replies += [
        listing(
            record(message.body, after, sid="SM" + "4" * 32),
            record(message.body, after, sid="SM" + "5" * 32),
        )
    ]
    for minutes in (3, 10, 60):
        dispatch.dispatch_due(now=later(minutes), gateway=gateway(http))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == (OutboundMessage.Status.UNSETTLED, None)
    assert len(http.posts()) == 1
    assert len(http.lookups()) == 1  # decided once, not looked up again every pass
    assert message in failed_sends(later(60))
    nurse = make_user()
    # Staff see only their care teams' patients.
    message.patient.care_team.members.add(nurse)
    client.force_login(nurse)
    html = client.get("/").content.decode()
    section = html[html.index("Messages not delivered") :]
    assert f'data-outbound="{message.pk}"' in section
    assert "Not known whether sent" in section
    assert "Twilio has 2 texts with these words to this number" in section
    assert "neither matched nor resent" in section
