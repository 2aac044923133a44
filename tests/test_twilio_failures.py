"""Twilio's errors, timeouts and 5xx through a stub HTTP client: no duplicate, nothing lost."""

import datetime as dt
import json
import logging

import pytest
import requests
from django.utils import timezone
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from followup import dispatch
from followup.dashboard import failed_sends
from followup.gateway import TwilioGateway
from followup.models import CareItem, OutboundMessage, Patient
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


def error(status, code, message="error"):
    return status, {"code": code, "message": message, "more_info": "https://x", "status": status}


def accepted(sid="SM" + "1" * 32, body=""):
    return 201, {"sid": sid, "status": "queued", "body": body, "to": "+1", "date_created": None}


def listing(*messages):
    return 200, {"messages": list(messages), "next_page_uri": None, "page": 0, "page_size": 20}


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
    http.replies += [listing({"sid": "SM" + "2" * 32, "status": "sent", "body": message.body})]
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
