"""JSON log lines through real webhooks: one request id per request, no patient data."""

import io
import json
import logging
import logging.config
from unittest import mock

import pytest
from django.test import Client

from followup import logs
from followup.redaction import format_exception, mask_phones, redact_error
from tests.conftest import sign
from tests.factories import make_patient
from tests.test_webhooks import SMS, inbound

PHRASE = "marmalade zebra under the stairs"
NUMBER = "+15551234567"
FORMS_OF_NUMBER = (NUMBER, "5551234567", "555-123-4567", "555) 123-4567")


@pytest.fixture
def json_log(settings):
    """The project's own logging configuration in JSON, written to a buffer."""
    logging.config.dictConfig(logs.config("json", "INFO"))
    buffer = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def lines(buffer):
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def assert_no_patient_data(text):
    assert PHRASE not in text
    for form in FORMS_OF_NUMBER:
        assert form not in text, form


@pytest.mark.django_db
def test_webhook_log_lines_are_json_with_the_request_id_and_no_patient_data(json_log):
    make_patient(phone=NUMBER)
    body = f"{PHRASE}, call me on 555-123-4567"
    params = inbound(NUMBER, body)
    client = Client(raise_request_exception=False)

    def broken_triage(text, **kwargs):
        raise ValueError(f"cannot read {text!r} from {NUMBER}")

    # A triage failure is logged with its traceback; the message is stored all the same.
    with mock.patch("triage.evaluate", broken_triage):
        failed = client.post(
            SMS,
            params,
            HTTP_X_TWILIO_SIGNATURE=sign(f"http://testserver{SMS}", params),
            HTTP_X_REQUEST_ID="proxy-id-0001",
        )
    assert failed.status_code == 200
    # A bad signature: a warning.
    forged = client.post(SMS, inbound(NUMBER, body), HTTP_X_TWILIO_SIGNATURE="forged")
    assert forged.status_code == 403
    # A fault in our code: Django logs the 500 with its traceback.
    crashing = inbound(NUMBER, body)
    with mock.patch(
        "followup.inbound.match_sender", side_effect=LookupError(f"no patient for {NUMBER}")
    ):
        crashed = client.post(
            SMS,
            crashing,
            HTTP_X_TWILIO_SIGNATURE=sign(f"http://testserver{SMS}", crashing),
            HTTP_X_REQUEST_ID="bad id\nwith a newline",
        )
    assert crashed.status_code == 500

    output = json_log.getvalue()
    records = lines(json_log)
    assert_no_patient_data(output)
    by_id = {}
    for record in records:
        assert {"timestamp", "level", "logger", "message", "request_id"} <= record.keys()
        by_id.setdefault(record["request_id"], []).append(record)
    # A sane incoming id is kept; an unsafe one is replaced by a fresh one.
    assert failed["X-Request-ID"] == "proxy-id-0001"
    assert crashed["X-Request-ID"] != "bad id\nwith a newline"
    assert len(crashed["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] not in (failed["X-Request-ID"], crashed["X-Request-ID"])

    (triage_failure,) = by_id[failed["X-Request-ID"]]
    assert triage_failure["message"] == "triage failed for an inbound message"
    assert triage_failure["level"] == "ERROR"
    assert "ValueError: cannot read '<" in triage_failure["exc_info"]
    assert 'inbound.py", line' in triage_failure["exc_info"]
    (rejected,) = by_id[forged["X-Request-ID"]]
    assert rejected["level"] == "WARNING"
    assert "signature" in rejected["message"]
    crash_lines = by_id[crashed["X-Request-ID"]]
    assert any(
        "LookupError: no patient for ***67" in line.get("exc_info", "") for line in crash_lines
    )


def test_a_log_call_that_would_leak_a_number_is_masked(json_log):
    log = logging.getLogger("followup.somewhere")
    log.warning("reply from %s", NUMBER, extra={"caller": "(555) 123-4567"})
    try:
        {}["+1 555 123 4567"]
    except KeyError:
        log.exception("lookup failed for %s", "555.123.4567 is not a number we match")
    output = json_log.getvalue()
    assert NUMBER not in output and "123-4567" not in output and "123 4567" not in output
    first, second = lines(json_log)
    assert first["message"] == "reply from ***67"
    assert first["caller"] == "***67"
    assert first["request_id"] == "-"
    assert "KeyError" in second["exc_info"]


def test_a_log_call_with_arguments_that_do_not_fit_fails_nothing(json_log):
    logging.getLogger("followup.somewhere").warning("sent %s to %s", NUMBER)
    (line,) = lines(json_log)
    assert line["message"] == "sent %s to %s (its arguments did not fit the message)"


def test_plain_format_names_the_request_id(settings):
    logging.config.dictConfig(logs.config("plain", "INFO"))
    buffer = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)
    try:
        logging.getLogger("followup.x").warning("texted %s", NUMBER)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert buffer.getvalue().rstrip().endswith("WARNING followup.x [-] texted ***67")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+15551234567", "***67"),
        ("+1 (555) 123-4567 called", "***67 called"),
        ("sid SMa1b2c3d41234567890123456 ok", "sid SMa1b2c3d41234567890123456 ok"),
        ("at 2026-11-30 23:19:15", "at 2026-11-30 23:19:15"),
        ("from 10.42.0.17, port 5432", "from 10.42.0.17, port 5432"),
        ("check-in 1234567 of 12", "check-in 1234567 of 12"),
    ],
)
def test_phone_numbers_are_masked_and_other_numbers_kept(text, expected):
    assert mask_phones(text) == expected


def test_quoted_words_leave_an_error_message_but_codes_stay():
    assert redact_error("invalid literal: 'my back hurts'") == "invalid literal: '<13 characters>'"
    assert redact_error("unknown status 'delivered'") == "unknown status 'delivered'"


def test_a_traceback_keeps_its_frames_and_loses_its_values():
    # Source lines are printed: the words come from data, as a patient's would.
    words = " ".join(["my", "leg", "is", "numb"])
    try:
        try:
            int(words)
        except ValueError as exc:
            raise RuntimeError(f"answer from {NUMBER} unreadable") from exc
    except RuntimeError as exc:
        text = format_exception(exc)
    assert "my leg is numb" not in text and NUMBER not in text
    assert "test_logs.py" in text
    assert "The above exception was the direct cause" in text
    assert text.rstrip().endswith("RuntimeError: answer from ***67 unreadable")
