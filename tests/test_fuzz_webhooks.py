"""Fuzzing every Twilio endpoint of a live server process: no 500, no inbound message lost.

Requests are signed as Twilio signs them, so they pass the signature check and reach the code
behind it. The run is seeded: FUZZ_SEED reproduces a failure, FUZZ_EXAMPLES makes it longer.
The examples are split into SHARDS runs, each against a server of its own and seeded
FUZZ_SEED + its number, so that parallel test workers share them out.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from followup.dispatch import dispatch_due
from followup.models import (
    CheckIn,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Severity,
)
from tests.conftest import sign
from tests.factories import make_enrolled_patient, make_user

ROOT = Path(__file__).resolve().parent.parent
SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
SHARDS = 2
ACCOUNT = "AC" + "0" * 32
TOKEN = "development-token"

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, settings):
    """The app in its own process, as in production (DEBUG off), on the test database."""
    settings.TWILIO_AUTH_TOKEN = TOKEN
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DEBUG": "false",
        "TWILIO_GATEWAY": "fake",
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_WEBHOOK_BASE_URL": "",
        "LOG_LEVEL": "ERROR",
    }
    log_path = tmp_path / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # 503 without a worker: the server answers
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"the server did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)
    process.base = base
    process.log_path = log_path
    yield process
    process.terminate()
    process.wait(timeout=20)
    log.close()


def post(base: str, path: str, pairs: list[tuple[str, str]]) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(pairs).encode()
    url = base + path
    # Signed over the values as the server will decode them, repeated keys included.
    signature = sign(url, QueryDict(body), token=TOKEN)
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# Values a careless or hostile sender might put in any field.
NASTY = [
    "", " ", "\x00", "a\x00b", "\x00" * 50, "²", "٣", "99999999999", "9" * 5000, "-1", "1e999",
    "nan", "0x1F", "1\x00", "#", "1#", "javascript:alert(1)", "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "\r\n\r\n", "\ufeff", "\u202e", "\U0001d7d9", "👍🏽", "SM" + "0" * 32,
    "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Messages/MM1/Media/ME1",
    "data:text/html,<b>x</b>", "null", "[]", "{}", "true", "stop", "STOP", "ayuda",
]  # fmt: skip
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
huge = st.builds(
    lambda chunk, n: (chunk * n)[:60_000],
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8),
    st.integers(200, 12_000),
)
value = st.one_of(st.sampled_from(NASTY), text, huge, st.integers(-(10**20), 10**20).map(str))
sid_prefixes = {"MessageSid": "SM", "CallSid": "CA", "AccountSid": "AC"}


def hostile_sid(name: str):
    return st.one_of(
        st.sampled_from(["", "\x00", sid_prefixes[name], sid_prefixes[name] + "1", "SM" * 17]),
        st.text(max_size=80).filter(lambda v: len(v) != 34),
        st.text("0123456789abcdef", min_size=31, max_size=31).map(
            lambda v: sid_prefixes[name] + "g" + v
        ),
    )


FIELDS = {
    "sms": ["From", "To", "Body", "NumMedia", "NumSegments", "SmsStatus", "OptOutType"]
    + [f"MediaUrl{i}" for i in range(12)]
    + ["MediaContentType0", "MessagingServiceSid", "FromCity", "ApiVersion"],
    "status": ["MessageStatus", "ErrorCode", "ErrorMessage", "To", "From", "SmsStatus"],
    "call": [
        *["CallStatus", "Digits", "SpeechResult", "Confidence", "AnsweredBy", "From", "To"],
        *["CallDuration", "Caller", "FinishedOnKey"],
    ],
}


@st.composite
def webhook(draw, targets):
    """One request: an endpoint, its fields (some missing, some repeated, some unknown)."""
    kind, path = draw(st.sampled_from(targets))
    sid_name = "MessageSid" if kind in ("sms", "status") else "CallSid"
    pairs: list[tuple[str, str]] = []
    # Mostly well-formed identifiers, so that most requests reach the code behind the check.
    well_formed = draw(st.integers(0, 9)) > 0
    if well_formed:
        sid = sid_prefixes[sid_name] + uuid.uuid4().hex
    else:
        sid = draw(st.one_of(st.none(), hostile_sid(sid_name)))
    if sid is not None:
        pairs.append((sid_name, sid))
    if draw(st.integers(0, 19)):
        pairs.append(("AccountSid", ACCOUNT))
    else:
        well_formed = False
        pairs.append(("AccountSid", draw(hostile_sid("AccountSid"))))
    for name in draw(st.lists(st.sampled_from(FIELDS[kind]), max_size=len(FIELDS[kind]))):
        pairs.append((name, draw(value)))
    if draw(st.booleans()):
        # Repeated fields, and names Twilio never sends.
        pairs += draw(st.lists(st.tuples(st.sampled_from(FIELDS[kind]), value), max_size=3))
        pairs += draw(st.lists(st.tuples(text, value), max_size=3))
    if kind != "sms" and path.endswith("/") and draw(st.booleans()):
        path += "?retry=" + urllib.parse.quote(draw(st.sampled_from(["0", "1", "x", "\x00"])))
    return kind, path, pairs, well_formed


def last(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    return values[-1] if values else None


def stored_as(value: str) -> str:
    return value.replace("\x00", "\ufffd")


@pytest.mark.parametrize("shard", range(SHARDS))
def test_hostile_signed_requests_never_get_a_server_error_or_lose_a_message(server, shard):
    patient, enrollment = make_enrolled_patient(preferred_channel="voice")
    checkin = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=checkin.pk).update(due_at=timezone.now())
    dispatch_due()
    call = OutboundMessage.objects.get(checkin=checkin, channel="voice")
    clinician = make_user(username="oncall")
    escalation = Escalation.objects.create(patient=patient, severity=Severity.EMERGENCY)
    page = OutboundMessage.objects.create(
        to=clinician.phone, body="page", kind="page", channel="voice", escalation=escalation,
        staff=clinician, twilio_sid="CA" + uuid.uuid4().hex, status="accepted",
    )  # fmt: skip
    targets = [
        ("sms", reverse("twilio-sms")),
        ("sms", reverse("twilio-sms")),
        ("sms", reverse("twilio-sms")),
        ("status", reverse("twilio-status")),
        ("call", reverse("ivr-status")),
        ("call", reverse("ivr-start", args=[call.pk])),
        ("call", reverse("ivr-identity", args=[call.pk])),
        ("call", reverse("ivr-question", args=[call.pk])),
        ("call", reverse("ivr-answer", args=[call.pk, 0])),
        ("call", reverse("ivr-answer", args=[call.pk, 1])),
        ("call", reverse("ivr-answer", args=[call.pk, 99999])),
        ("call", reverse("twilio-voice-page", args=[page.pk])),
        ("call", reverse("twilio-voice-page-ack", args=[page.pk])),
        ("call", "/twilio/voice/checkin/99999999999999999999/"),
    ]
    sent = []
    failures = []

    examples = -(-EXAMPLES // SHARDS)  # together at least EXAMPLES

    @seed(SEED + shard)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(webhook(targets))
    def one_request(request):
        kind, path, pairs, well_formed = request
        status, content = post(server.base, path, pairs)
        sent.append(status)
        if status >= 500:
            failures.append((status, path, pairs))
        assert status < 500, f"{status} for {path} with {pairs!r:.2000}"
        if len(urllib.parse.urlencode(pairs)) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # Hundreds of times what Twilio sends: refused, with the reason, before the check.
            assert status == 413 and content.startswith(b"Request too large")
            return
        if not well_formed:
            if kind in ("sms", "status") or last(pairs, "CallSid") is not None:
                assert status == 400, f"{status} for {path} with {pairs!r:.2000}"
            return
        if kind == "sms":
            assert status == 200, content[:300]
            sid = last(pairs, "MessageSid")
            stored = InboundMessage.objects.get(message_sid=sid)
            body = last(pairs, "Body") or ""
            assert stored.body == stored_as(body)
            originals = json.loads(stored.originals) if stored.originals else {}
            for name, original in originals.items():
                assert last(pairs, name) == original
            if "\x00" in body:
                assert originals["Body"] == body
            # A replay is answered the same way and stored once.
            again = post(server.base, path, pairs)
            sent.append(again[0])
            assert again == (status, content)
            assert InboundMessage.objects.filter(message_sid=sid).count() == 1

    try:
        one_request()
    finally:
        log = server.log_path.read_text()
        print(f"fuzz: FUZZ_SEED={SEED} shard {shard}: {len(sent)} requests, {len(failures)} 5xx")
        if failures:
            print(log[-5000:])
    assert len(sent) >= examples
    assert "Traceback" not in log, log[-5000:]
