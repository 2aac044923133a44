"""The whole loop with real parts: a qcluster dispatches, a reply escalates, a nurse sees it."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from followup.models import CheckIn, Escalation, InboundMessage
from tests.conftest import log_in, sign
from tests.factories import make_enrolled_patient, make_user

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def qcluster(tmp_path, live_server):
    """A real django-q2 cluster on the test database, with the fake gateway writing to a file."""
    db = connection.settings_dict
    outbox = tmp_path / "outbox.jsonl"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TWILIO_GATEWAY": "fake",
        "TWILIO_FAKE_OUTBOX": str(outbox),
        "TWILIO_WEBHOOK_BASE_URL": "",
        "Q_WORKERS": "1",
    }
    log = (tmp_path / "qcluster.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    # The pages worker: red flags are processed on its queue.
    pages = subprocess.Popen(
        [sys.executable, "manage.py", "run_pages"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    process.outbox = outbox
    yield process
    for each in (process, pages):
        each.terminate()
        try:
            each.wait(timeout=20)
        except subprocess.TimeoutExpired:
            each.kill()
    log.close()


def sent_texts(outbox: Path) -> list[dict]:
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text().splitlines()]


def post_reply(base_url: str, sender: str, body: str, sid: str) -> str:
    url = f"{base_url}/twilio/sms/"
    params = {
        "MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender,
        "To": "+15005550006", "Body": body, "NumMedia": "0",
    }  # fmt: skip
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": sign(url, params)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def test_enroll_checkin_reply_escalation_dashboard(qcluster, live_server, page):
    nurse = make_user(username="nora")
    patient, enrollment = make_enrolled_patient(first_name="Luis")
    calm, calm_enrollment = make_enrolled_patient(first_name="Eva")
    # Nora nurses both patients: staff see only their care teams' patients.
    for team in (patient.care_team, calm.care_team):
        team.members.add(nurse)
    for e in (enrollment, calm_enrollment):
        CheckIn.objects.filter(pk=e.checkins.order_by("due_at").first().pk).update(
            due_at=timezone.now() - dt.timedelta(minutes=1)
        )
    Schedule.objects.filter(name="dispatch").update(next_run=timezone.now())

    # The cluster's scheduler runs the dispatch schedule (it looks every 30 s).
    texts = wait_for(lambda: len(sent_texts(qcluster.outbox)) >= 2 and sent_texts(qcluster.outbox),
                     timeout=75, what="the check-in texts")  # fmt: skip
    to_luis = next(t for t in texts if t["to"] == patient.phone)
    assert to_luis["body"].startswith("Hi, this is your check-in from")
    assert "How are you feeling today?" in to_luis["body"]
    assert to_luis["sid"].startswith("SM")

    log_in(page, live_server.url, nurse.username)
    assert page.locator("text=No open escalations.").is_visible()

    twiml = post_reply(
        live_server.url, patient.phone, "my left foot has gone numb", "SM" + "1" * 32
    )
    assert "911" in twiml
    calm_twiml = post_reply(live_server.url, calm.phone, "no numbness", "SM" + "2" * 32)
    assert "<Message>" not in calm_twiml

    # Without a reload: the page refreshes itself and the worker has opened the escalation.
    row = page.locator("article.escalation", has_text="Luis")
    row.wait_for(state="visible", timeout=30000)
    assert "my left foot has gone numb" in row.inner_text()
    assert "URGENT" in row.inner_text()
    assert "numb" in row.locator(".findings q").inner_text()

    escalation = Escalation.objects.get(patient=patient)
    assert escalation.evidence["numbness"] in "my left foot has gone numb"
    calm_message = wait_for(
        lambda: InboundMessage.objects.filter(patient=calm, processed_at__isnull=False).first(),
        timeout=20, what="the calm reply to be processed",
    )  # fmt: skip
    assert calm_message.answer.findings == []
    assert not Escalation.objects.filter(patient=calm).exists()

    # The worker asked Luis the next question after his answer.
    wait_for(lambda: any("0 (none) to 10" in t["body"] for t in sent_texts(qcluster.outbox)),
             timeout=20, what="the next question")  # fmt: skip

    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "acknowledged by" in page.locator("article.escalation", has_text="Luis").inner_text()
