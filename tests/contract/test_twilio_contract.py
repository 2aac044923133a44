"""Every REST call the gateway makes, checked against Twilio's own OpenAPI spec by Prism."""

import json

import pytest
from twilio.base.exceptions import TwilioRestException

from followup.gateway import CALL_EVENTS, Receipt, TransportError, build_client, get_gateway

ACCOUNT = "AC" + "0123456789abcdef" * 2
SERVICE = "MG" + "fedcba9876543210" * 2
FROM = "+13125550199"
PATIENT = "+17735550001"
STATUS_URL = "https://app.example.org/twilio/status/"
VOICE_URL = "https://app.example.org/twilio/voice/page/7/"

# Prism answers with the spec's first static example, not with what was sent.
MESSAGE = Receipt(sid="SM" + "a" * 32, status="queued")
CALL = Receipt(sid="CA" + "a" * 32, status="completed")


@pytest.fixture
def prism_settings(settings, prism_url):
    """The real gateway, sent to Prism instead of api.twilio.com."""
    settings.TWILIO_GATEWAY = "twilio"
    settings.TWILIO_API_URL = prism_url
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = "contract-token"
    settings.TWILIO_FROM_NUMBER = FROM
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    return settings


def sent(gateway):
    # Prism ignores unknown fields and all but the last value of a repeated one, so the tests
    # read what was sent to know which fields the accepted request really carried.
    return gateway.client.http_client._test_only_last_request


def violations(http_client):
    problem = json.loads(http_client._test_only_last_response.text)
    return [(".".join(v["location"]), v["message"]) for v in problem["validation"]]


@pytest.mark.parametrize("status_callback", [STATUS_URL, None])
def test_twilio_accepts_the_sms_the_gateway_sends(prism_settings, prism_url, status_callback):
    gateway = get_gateway()
    receipt = gateway.send_sms(PATIENT, "¿Dolor de 0 a 10?", status_callback=status_callback)
    assert receipt == MESSAGE
    assert sent(gateway).url == f"{prism_url}/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert sent(gateway).data["From"] == FROM
    assert sent(gateway).data.get("StatusCallback") == status_callback


def test_twilio_accepts_the_sms_the_gateway_sends_through_a_messaging_service(prism_settings):
    prism_settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE
    gateway = get_gateway()
    assert gateway.send_sms(PATIENT, "How is your pain?", status_callback=STATUS_URL) == MESSAGE
    assert sent(gateway).data["MessagingServiceSid"] == SERVICE
    assert "From" not in sent(gateway).data


def test_twilio_accepts_a_call_with_machine_detection_and_status_events(prism_settings, prism_url):
    gateway = get_gateway()
    receipt = gateway.make_call(
        PATIENT, VOICE_URL, status_callback=STATUS_URL, machine_detection=True
    )
    assert receipt == CALL
    assert sent(gateway).url == f"{prism_url}/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
    assert sent(gateway).data["MachineDetection"] == "Enable"
    assert sent(gateway).data["StatusCallback"] == STATUS_URL
    assert sent(gateway).data["StatusCallbackEvent"] == CALL_EVENTS


def test_twilio_accepts_a_plain_call_as_dispatch_places_it(prism_settings):
    gateway = get_gateway()
    assert gateway.make_call(PATIENT, VOICE_URL) == CALL
    extras = {"MachineDetection", "StatusCallback", "StatusCallbackEvent"}
    assert not extras & set(sent(gateway).data)


def test_prism_rejects_a_message_without_a_recipient(prism_settings):
    client = build_client()
    with pytest.raises(TwilioRestException) as error:
        client.messages.create(to=None, from_=FROM, body="no recipient")
    assert error.value.status == 422
    assert violations(client.http_client) == [
        ("body", "Request body must have required property 'To'")
    ]


@pytest.mark.parametrize(
    "send",
    [
        lambda gateway: gateway.send_sms(PATIENT, "x", status_callback="not a url"),
        lambda gateway: gateway.make_call(PATIENT, VOICE_URL, status_callback="example.org/s"),
    ],
    ids=["sms", "call"],
)
def test_a_status_callback_that_is_no_url_is_a_permanent_transport_error(prism_settings, send):
    gateway = get_gateway()
    with pytest.raises(TransportError) as error:
        send(gateway)
    assert (error.value.code, error.value.permanent) == (422, True)
    assert violations(gateway.client.http_client) == [
        ("body.StatusCallback", 'Request body property StatusCallback must match format "uri"')
    ]


def test_an_account_sid_twilio_would_refuse_is_a_transport_error(prism_settings):
    prism_settings.TWILIO_ACCOUNT_SID = "AC-not-a-sid"
    gateway = get_gateway()
    with pytest.raises(TransportError) as error:
        gateway.send_sms(PATIENT, "x")
    assert error.value.code == 422
    assert {where for where, _ in violations(gateway.client.http_client)} == {"path.accountsid"}
