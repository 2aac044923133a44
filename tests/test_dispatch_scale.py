"""Two qcluster processes dispatch 1,000 due check-ins at once: each sent once, the pace kept."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from followup.models import CheckIn, OutboundMessage
from tests.clusters import BROKERS, sent, start_cluster, stop_cluster, task_broker
from tests.factories import daytime, make_enrolled_patient

RATE = 100  # segments a second, raised from a long code's 1 so the test takes seconds
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("broker", BROKERS)
def test_two_clusters_send_each_of_1000_checkins_once_within_the_pace(tmp_path, broker):
    enrollments = [make_enrolled_patient(**daytime())[1] for _ in range(67)]
    CheckIn.objects.filter(enrollment__in=enrollments).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    due = CheckIn.objects.filter(status=CheckIn.Status.PENDING).count()
    assert due >= 1000
    with task_broker(broker, tmp_path) as broker_url:
        clusters = [
            start_cluster(tmp_path, broker_url, rate=RATE, log=f"cluster{i}") for i in range(2)
        ]
        try:
            for _ in range(8):
                async_task("followup.tasks.dispatch_due")
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and len(sent(tmp_path)) < due:
                time.sleep(0.5)
            time.sleep(3)  # long enough for a duplicate to show up
        finally:
            for cluster in clusters:
                stop_cluster(cluster)

    records = sent(tmp_path)
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
