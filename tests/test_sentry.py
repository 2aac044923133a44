"""Error reports as they would leave for Sentry: a webhook crash, with nothing of the patient."""

import io
import json
import warnings
from unittest import mock
from urllib.parse import urlencode

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from followup import sentry
from tests.conftest import sign
from tests.test_webhooks import SMS, inbound

PHRASE = "marmalade zebra under the stairs"
NUMBER = "+15551234567"
# Frames carry the lines of code around them: the test's data comes from here, out of their sight.
QUERY = f"From={NUMBER}&Body={PHRASE.split()[0]}"
FORMS_OF_NUMBER = (NUMBER, "5551234567", "555-123-4567", "555 123 4567", "15551234567")


class CapturingTransport(Transport):
    """Keeps each envelope instead of sending it."""

    envelopes: list = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def envelope_items(envelopes):
    return [item.payload.json for envelope in envelopes for item in envelope.items]


@pytest.fixture
def reports():
    CapturingTransport.envelopes = []
    # With local variables on, as Sentry's default has it: the scrubber alone must remove them.
    sentry.init(
        "https://public@sentry.example.org/1",
        environment="test",
        transport=CapturingTransport,
        include_local_variables=True,
        traces_sample_rate=1.0,
    )
    yield CapturingTransport.envelopes
    sentry_sdk.init()


def test_the_client_sends_no_personal_data_by_default_and_warns_of_nothing():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sentry.init("https://public@sentry.example.org/1", environment="test")
    try:
        assert sentry_sdk.get_client().should_send_default_pii() is False
        assert [str(w.message) for w in caught if "sentry" in w.filename] == []
    finally:
        sentry_sdk.init()


def call_wsgi(path, query, params, headers):
    """One request through the WSGI application itself, where Sentry's middleware sits."""
    from django.core.wsgi import get_wsgi_application

    body = urlencode(params).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    }
    statuses = []
    b"".join(get_wsgi_application()(environ, lambda status, _: statuses.append(status)))
    return statuses[0]


@pytest.mark.django_db(transaction=True)
def test_a_webhook_crash_reaches_sentry_without_the_body_or_the_number(reports):
    body = f"{PHRASE}, call me back on 555-123-4567 please"
    params = inbound(NUMBER, body)
    sentry_sdk.add_breadcrumb(category="note", message=f"texted {NUMBER}", data={"body": body})

    def crash(number):
        raise LookupError(f"no patient for {number!r}, who wrote {body!r}")

    with mock.patch("followup.inbound.match_sender", crash):
        status = call_wsgi(
            SMS,
            QUERY,
            params,
            {
                "Host": "testserver",
                "X-Twilio-Signature": sign(f"http://testserver{SMS}?{QUERY}", params),
                "Cookie": f"sessionid=abc; note={NUMBER}",
                "X-Patient-Note": body,
                "User-Agent": "TwilioProxy/1.1",
            },
        )
    assert status.startswith("500")
    sentry_sdk.flush()

    items = envelope_items(reports)
    events = [item for item in items if item and item.get("exception")]
    assert events, "the crash was not reported"
    everything = json.dumps(items)
    assert PHRASE not in everything
    assert "marmalade" not in everything
    for form in FORMS_OF_NUMBER:
        assert form not in everything, form
    # What the report is for is still there: the exception's type, where, and the route.
    (event,) = events
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "LookupError"
    frames = exception["stacktrace"]["frames"]
    assert any(frame["function"] == "receive_sms" for frame in frames)
    assert all("vars" not in frame for frame in frames)
    assert event["transaction"] == SMS
    assert event["request"]["url"] == f"http://testserver{SMS}"
    assert event["request"]["headers"] == {
        "Host": "testserver",
        "User-Agent": "TwilioProxy/1.1",
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(urlencode(params))),
    }


def test_the_scrubber_keeps_only_safe_headers_and_contexts():
    event = {
        "request": {
            "url": "https://followup.example.org/twilio/sms/",
            "method": "POST",
            "query_string": "From=%2B15551234567",
            "data": {"Body": PHRASE},
            "cookies": {"sessionid": "abc"},
            "headers": {"User-Agent": "TwilioProxy/1.1", "X-Twilio-Signature": "sig"},
        },
        "extra": {"body": PHRASE},
        "user": {"phone": NUMBER},
        "contexts": {"runtime": {"name": "CPython"}, "patient": {"phone": NUMBER}},
        "logentry": {"message": "reply %s", "params": [PHRASE]},
        "spans": [{"description": "SELECT 1", "data": {"db.params": [NUMBER]}}],
        "tags": {"note": f"call {NUMBER}", "long": " ".join(["word"] * 60)},
    }
    scrubbed = sentry.scrub_event(event)
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://followup.example.org/twilio/sms/",
        "headers": {"User-Agent": "TwilioProxy/1.1"},
    }
    assert "extra" not in scrubbed and "user" not in scrubbed
    assert scrubbed["contexts"] == {"runtime": {"name": "CPython"}}
    assert scrubbed["logentry"] == {"message": "reply %s"}
    assert scrubbed["spans"] == [{"description": "SELECT 1"}]
    assert scrubbed["tags"]["note"] == "call ***67"
    assert scrubbed["tags"]["long"] == "<299 characters of text>"
