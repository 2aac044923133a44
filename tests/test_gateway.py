"""The gateway: Twilio's REST client over the real library, a fake that speaks its wire format."""

import json
import logging

import pytest
import requests
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from followup import gateway
from followup.gateway import (
    FakeTwilioHttpClient,
    RebasedHttpClient,
    TransportError,
    TwilioGateway,
    get_gateway,
)

ACCOUNT = "AC" + "a" * 32


class StubHttpClient(HttpClient):
    """Answers every request with one canned Twilio response, or raises a network error."""

    def __init__(self, status=201, body=None, raises=None):
        super().__init__(logging.getLogger("stub"), False, None)
        self.status, self.body, self.raises = status, body or {}, raises
        self.requests = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append((method, uri, data))
        if self.raises:
            raise self.raises
        return Response(self.status, json.dumps(self.body))


def twilio_error(status, code, message):
    return {"code": code, "message": message, "more_info": "https://x", "status": status}


def gateway_over(http_client):
    return TwilioGateway(Client(ACCOUNT, "token", http_client=http_client), "+13125550199")


def test_fake_gateway_records_the_message_and_answers_with_a_twilio_sid():
    receipt = get_gateway().send_sms("+17735550001", "How are you?", status_callback=None)
    assert receipt.sid.startswith("SM") and len(receipt.sid) == 34
    assert receipt.status == "queued"
    assert gateway.outbox[-1]["to"] == "+17735550001"
    assert gateway.outbox[-1]["body"] == "How are you?"


def test_fake_gateway_appends_to_the_outbox_file_for_other_processes(settings, tmp_path):
    settings.TWILIO_FAKE_OUTBOX = str(tmp_path / "outbox.jsonl")
    get_gateway().send_sms("+17735550001", "one")
    get_gateway().send_sms("+17735550002", "two")
    lines = (tmp_path / "outbox.jsonl").read_text().splitlines()
    assert [json.loads(line)["body"] for line in lines] == ["one", "two"]


def test_fake_gateway_rejects_a_message_without_a_recipient_like_twilio():
    fake = gateway_over(FakeTwilioHttpClient())
    with pytest.raises(TransportError) as error:
        fake.send_sms(None, "no recipient")  # type: ignore[arg-type]
    assert error.value.code == 21604
    assert error.value.permanent


def test_real_gateway_posts_twilio_form_fields():
    stub = StubHttpClient(201, {"sid": "SM" + "b" * 32, "status": "queued"})
    receipt = gateway_over(stub).send_sms(
        "+17735550001", "¿Dolor?", status_callback="https://app.example.org/twilio/status/"
    )
    method, uri, data = stub.requests[0]
    assert method == "POST"
    assert uri == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert data["To"] == "+17735550001"
    assert data["From"] == "+13125550199"
    assert data["Body"] == "¿Dolor?"
    assert data["StatusCallback"] == "https://app.example.org/twilio/status/"
    assert receipt.sid == "SM" + "b" * 32


def test_messaging_service_replaces_the_from_number():
    stub = StubHttpClient(201, {"sid": "SM" + "b" * 32, "status": "accepted"})
    gw = TwilioGateway(Client(ACCOUNT, "t", http_client=stub), "", "MG" + "c" * 32)
    gw.send_sms("+17735550001", "hi")
    data = stub.requests[0][2]
    assert data["MessagingServiceSid"] == "MG" + "c" * 32
    assert "From" not in data


@pytest.mark.parametrize(
    ("status", "code", "permanent", "uncertain"),
    [
        (400, 21610, True, False),  # the patient replied STOP
        (400, 21211, True, False),  # invalid number
        (429, 20429, False, False),  # rate limited: certainly not accepted, retry later
        (500, 20500, False, True),  # Twilio may have queued it
        (503, 503, False, True),
    ],
)
def test_twilio_errors_carry_the_retry_decision(status, code, permanent, uncertain):
    stub = StubHttpClient(status, twilio_error(status, code, "nope"))
    with pytest.raises(TransportError) as error:
        gateway_over(stub).send_sms("+17735550001", "hi")
    assert (error.value.code, error.value.permanent, error.value.uncertain) == (
        code,
        permanent,
        uncertain,
    )


@pytest.mark.parametrize(
    ("exception", "uncertain"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), False),
        (requests.exceptions.ReadTimeout("read timed out"), True),
        (requests.exceptions.ConnectionError("connection reset"), True),
    ],
)
def test_network_failures_say_whether_twilio_may_have_the_message(exception, uncertain):
    with pytest.raises(TransportError) as error:
        gateway_over(StubHttpClient(raises=exception)).send_sms("+17735550001", "hi")
    assert not error.value.permanent
    assert error.value.uncertain is uncertain


def test_rebased_client_sends_every_rest_call_to_the_configured_base(monkeypatch):
    seen = []

    def fake_super_request(self, method, url, *args, **kwargs):
        seen.append(url)
        return Response(201, json.dumps({"sid": "SM" + "d" * 32, "status": "queued"}))

    monkeypatch.setattr("twilio.http.http_client.TwilioHttpClient.request", fake_super_request)
    client = Client(ACCOUNT, "t", http_client=RebasedHttpClient("http://127.0.0.1:4010/"))
    client.messages.create(to="+17735550001", from_="+13125550199", body="x")
    assert seen == [f"http://127.0.0.1:4010/2010-04-01/Accounts/{ACCOUNT}/Messages.json"]


def test_twilio_api_url_setting_selects_the_rebased_client(settings):
    settings.TWILIO_GATEWAY = "twilio"
    settings.TWILIO_API_URL = "http://127.0.0.1:4010"
    gw = get_gateway()
    assert isinstance(gw, TwilioGateway)
    assert isinstance(gw.client.http_client, RebasedHttpClient)
    assert gw.client.http_client.base_url == "http://127.0.0.1:4010"
