"""Two qcluster processes dispatch 1,000 due check-ins at once: each sent once, the pace kept."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.tasks import async_task

from followup.models import CheckIn, OutboundMessage
from tests.factories import make_enrolled_patient

ROOT = Path(__file__).resolve().parent.parent
RATE = 100  # segments a second, raised from a long code's 1 so the test takes seconds
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def start_cluster(outbox: Path, log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TWILIO_GATEWAY": "fake",
        "TWILIO_FAKE_OUTBOX": str(outbox),
        "TWILIO_SEGMENTS_PER_SECOND": str(RATE),
        "Q_WORKERS": "2",
    }
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=handle, stderr=handle
    )


def test_two_clusters_send_each_of_1000_checkins_once_within_the_pace(tmp_path):
    # Surgery today: all 15 steps of the default protocol lie ahead, whatever the hour.
    today = {"date": timezone.localdate()}
    enrollments = [make_enrolled_patient(surgery=today)[1] for _ in range(67)]
    CheckIn.objects.filter(enrollment__in=enrollments).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    due = CheckIn.objects.filter(status=CheckIn.Status.PENDING).count()
    assert due >= 1000
    outbox = tmp_path / "outbox.jsonl"
    clusters = [start_cluster(outbox, tmp_path / f"cluster{i}.log") for i in range(2)]
    try:
        for _ in range(8):
            async_task("followup.tasks.dispatch_due")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            sent = outbox.read_text().count("\n") if outbox.exists() else 0
            if sent >= due:
                break
            time.sleep(0.5)
        time.sleep(3)  # long enough for a duplicate to show up
    finally:
        for cluster in clusters:
            cluster.terminate()
        for cluster in clusters:
            cluster.wait(timeout=30)

    records = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert len(records) == due, "every due check-in sent exactly once"
    questions = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.QUESTION)
    assert questions.count() == due
    assert {r["sid"] for r in records} == set(questions.values_list("twilio_sid", flat=True))
    assert not CheckIn.objects.filter(status=CheckIn.Status.PENDING).exists()
    # The shared pace: slots are booked exactly RATE a second; the fake stamps each text when it
    # arrives, a few milliseconds of process scheduling after its slot, hence the small margin.
    times = sorted(dt.datetime.fromisoformat(r["at"]).timestamp() for r in records)

    def busiest(seconds: float) -> int:
        span = int(RATE * seconds) + 10
        return max(
            sum(1 for t in times[i : i + span] if t - start < seconds)
            for i, start in enumerate(times)
        )

    assert busiest(1.0) <= RATE + 3
    assert busiest(5.0) <= 5 * RATE + 3
    elapsed = times[-1] - times[0]
    assert elapsed >= (due - RATE) / RATE
