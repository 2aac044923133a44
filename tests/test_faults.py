"""kill -9 of a whole qcluster mid-work, with either broker: after a restart nothing is lost, and
nothing goes out twice.

With Redis a task leaves the queue when a worker takes it, so the tasks of a killed cluster are
gone; with the database they come back only after the broker's retry (90 s). Either way the
passes find the unfinished work in PostgreSQL (a stored reply is its own work item, claimed by a
worker). They leave alone work that may still be in flight (a written message for 30 s, a send in
progress for 2 min, a message being processed for 90 s):
these tests move the stuck rows' clocks back by that much rather than wait it out.
"""

import collections
import datetime as dt
import time
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Task
from django_q.tasks import async_task

from followup.models import (
    Answer,
    CheckIn,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Severity,
)
from followup.paging import schedule_ladder
from tests.clusters import BROKERS, kill_cluster, sent, start_cluster, task_broker, wait_for
from tests.factories import daytime, make_enrolled_patient, make_patient, make_team, make_user
from tests.test_webhooks import SMS, awaiting, inbound

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RATE = 10  # texts a second: slow enough that a kill lands mid-dispatch
# Accepted by the fake Twilio, answered in the webhook's own reply (safety texts), or (the
# factories' welcome texts) delivered before.
SETTLED = [
    OutboundMessage.Status.ACCEPTED,
    OutboundMessage.Status.REPLIED,
    OutboundMessage.Status.DELIVERED,
]


def let_the_waits_pass() -> None:
    """What the sweeps wait for before they touch work that might still be in flight."""
    gone = dt.timedelta(minutes=3)
    OutboundMessage.objects.exclude(status__in=SETTLED).update(
        created_at=F("created_at") - gone, status_updated_at=F("status_updated_at") - gone
    )
    # A batch's written texts are held from the sweep for as long as their pass might still
    # send them (up to its time budget and 30 s more).
    OutboundMessage.objects.exclude(status__in=SETTLED).exclude(next_attempt_at=None).update(
        next_attempt_at=F("next_attempt_at") - dt.timedelta(minutes=2)
    )
    unprocessed = InboundMessage.objects.filter(processed_at=None)
    unprocessed.update(received_at=F("received_at") - gone)
    unprocessed.exclude(processing_retry_at=None).update(
        processing_retry_at=F("processing_retry_at") - gone
    )


def run_passes_until(finished, timeout: float = 120) -> None:
    """Queue the minute's passes whenever the queue is empty, as the schedules would."""
    deadline = time.monotonic() + timeout
    while not finished():
        assert time.monotonic() < deadline, f"the passes left work undone: {left_over()}"
        if get_broker().queue_size() == 0:
            async_task("followup.tasks.dispatch_due")
            async_task("followup.tasks.advance_ladders")
        time.sleep(0.5)


def left_over() -> str:
    messages = OutboundMessage.objects.exclude(status__in=SETTLED)
    return (
        f"unprocessed replies {InboundMessage.objects.filter(processed_at=None).count()}, "
        f"messages {collections.Counter(messages.values_list('kind', 'status'))}, "
        f"check-ins {collections.Counter(CheckIn.objects.values_list('status', flat=True))}"
    )


def assert_each_send_once(folder: Path) -> collections.Counter[str]:
    """Every record at the fake Twilio is one accepted message's, and each message sent once."""
    records = sent(folder)
    sids = [record["sid"] for record in records]
    held = OutboundMessage.objects.filter(status=OutboundMessage.Status.ACCEPTED)
    assert len(sids) == len(set(sids))
    assert set(sids) == set(held.values_list("twilio_sid", flat=True))
    assert not OutboundMessage.objects.exclude(status__in=SETTLED).exists()
    kinds = collections.Counter(held.values_list("kind", flat=True))
    # Which check-in a text belongs to, and which question: none asked twice.
    asked = collections.Counter(
        held.filter(kind=OutboundMessage.Kind.QUESTION).values_list("checkin", "question")
    )
    assert [key for key, times in asked.items() if times > 1] == []
    return kinds


def lost_tasks(ids: list[str]) -> bool:
    """None of these tasks ever finished: the broker no longer has them to hand out."""
    return get_broker().queue_size() == 0 and not Task.objects.filter(id__in=ids).exists()


@pytest.mark.parametrize("broker", BROKERS)
def test_a_cluster_killed_mid_dispatch_loses_no_checkin_and_sends_none_twice(tmp_path, broker):
    enrollments = [make_enrolled_patient(**daytime())[1] for _ in range(6)]
    CheckIn.objects.filter(enrollment__in=enrollments).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    due = set(CheckIn.objects.filter(status=CheckIn.Status.PENDING).values_list("id", flat=True))
    assert len(due) == 90
    with task_broker(broker, tmp_path) as broker_url:
        first = start_cluster(tmp_path, broker_url, rate=RATE, log="first")
        try:
            tasks = [async_task("followup.tasks.dispatch_due") for _ in range(2)]
            claimed = CheckIn.objects.filter(status=CheckIn.Status.SENDING)
            wait_for(
                lambda: len(sent(tmp_path)) >= 20 and claimed.exists(), 60, "a part sent", 0.01
            )
        finally:
            kill_cluster(first)
        at_kill = CheckIn.objects.filter(id__in=due)
        # A batch may have claimed them all, but the kill lands before all were sent.
        assert len(sent(tmp_path)) < len(due), "killed mid-way"
        # Claimed by the killed cluster, its question written, not yet accepted by Twilio.
        assert at_kill.filter(status=CheckIn.Status.SENDING).exists()
        # The pass that claimed them all was killed; another may have found nothing and ended.
        lost = [task for task in tasks if not Task.objects.filter(id=task).exists()]
        if broker == "redis":
            assert lost and lost_tasks(lost), "the killed cluster's dispatch tasks are gone"
        let_the_waits_pass()

        second = start_cluster(tmp_path, broker_url, rate=RATE, log="second")
        try:
            unfinished = CheckIn.objects.filter(id__in=due).exclude(status=CheckIn.Status.AWAITING)
            run_passes_until(
                lambda: (
                    not unfinished.exists()
                    and not OutboundMessage.objects.exclude(status__in=SETTLED).exists()
                )
            )
            time.sleep(2)  # long enough for a duplicate to show up
        finally:
            kill_cluster(second)
        if broker == "redis":
            # Recovered by the passes of the second cluster, not by the lost tasks.
            assert not Task.objects.filter(id__in=lost).exists()

    kinds = assert_each_send_once(tmp_path)
    assert kinds == {OutboundMessage.Kind.QUESTION: 90}
    assert set(CheckIn.objects.values_list("status", flat=True).filter(id__in=due)) == {
        CheckIn.Status.AWAITING
    }


@pytest.mark.parametrize("broker", BROKERS)
def test_a_cluster_killed_mid_processing_loses_no_reply_and_records_each_answer_once(
    tmp_path, broker, twilio_post
):
    on_call = make_user(phone="+13125550801")
    # Emergencies page at once: the ladder's first step is due when the escalation opens.
    paging_team = make_team(on_call=on_call, ack_timeout_minutes=0)
    calm = [make_enrolled_patient(**daytime())[0] for _ in range(24)]
    red_flags = [make_enrolled_patient(care_team=paging_team, **daytime())[0] for _ in "ab"]
    for patient in calm:
        awaiting(patient, "numbness")
    for patient in red_flags:
        awaiting(patient, "bladder_bowel")
    with task_broker(broker, tmp_path) as broker_url:
        # Stored while no worker runs, then the pages worker starts on the backlog: the stored
        # rows are the work, with no task queued for them.
        for patient in calm:
            assert twilio_post(SMS, inbound(patient.phone, "no numbness")).status_code == 200
        for patient in red_flags:
            emergency = inbound(patient.phone, "I cant pee since last night")
            assert twilio_post(SMS, emergency).status_code == 200
        replies = InboundMessage.objects.filter(sender=InboundMessage.Sender.PATIENT)
        assert replies.count() == 26
        first = start_cluster(tmp_path, broker_url, rate=RATE, log="first", command=("run_pages",))
        try:
            wait_for(
                lambda: replies.exclude(processed_at=None).count() >= 5, 60, "some processed", 0.02
            )
        finally:
            kill_cluster(first)
        assert replies.filter(processed_at=None).exists(), "killed mid-way"
        # Red flags are claimed first: both were processed before the kill.
        assert not replies.filter(processed_at=None, body__startswith="I cant").exists()
        let_the_waits_pass()

        second = start_cluster(tmp_path, broker_url, rate=RATE, log="second")
        try:
            run_passes_until(
                lambda: (
                    not replies.filter(processed_at=None).exists()
                    and not OutboundMessage.objects.exclude(status__in=SETTLED).exists()
                    and Escalation.objects.filter(pages__isnull=False).distinct().count() == 2
                )
            )
            time.sleep(2)  # long enough for a duplicate to show up
        finally:
            kill_cluster(second)

    assert Answer.objects.count() == 26
    assert set(Answer.objects.values_list("message", flat=True)) == set(
        replies.values_list("id", flat=True)
    )
    kinds = assert_each_send_once(tmp_path)
    # Each calm patient asked the next question once; each red flag paged the on-call once.
    assert kinds[OutboundMessage.Kind.QUESTION] == 24
    pages = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.PAGE, channel="sms")
    assert sorted(pages.values_list("escalation__patient", flat=True)) == sorted(
        p.pk for p in red_flags
    )


@pytest.mark.parametrize("broker", BROKERS)
def test_a_cluster_killed_mid_paging_pages_each_escalation_once(tmp_path, broker):
    on_call = make_user(phone="+13125550801")
    team = make_team(on_call=on_call, ack_timeout_minutes=0)
    now = timezone.now()
    escalations = []
    for _ in range(30):
        escalation = Escalation.objects.create(
            patient=make_patient(care_team=team), severity=Severity.EMERGENCY,
            findings=["bladder"], opened_at=now,
        )  # fmt: skip
        schedule_ladder(escalation, now)
        escalation.save()
        escalations.append(escalation.pk)
    pages = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.PAGE, channel="sms")
    with task_broker(broker, tmp_path) as broker_url:
        first = start_cluster(tmp_path, broker_url, rate=RATE, log="first")
        try:
            task = async_task("followup.tasks.advance_ladders")
            # Killed while a page is written and not yet accepted.
            in_flight = pages.exclude(status=OutboundMessage.Status.ACCEPTED)
            wait_for(lambda: pages.count() >= 3 and in_flight.exists(), 60, "a page in flight", 0)
        finally:
            kill_cluster(first)
        assert len(sent(tmp_path)) < 30, "killed mid-way"
        # Its step taken and the page written, but Twilio's answer never recorded.
        assert in_flight.exists()
        if broker == "redis":
            assert lost_tasks([task]), "the killed cluster's paging task is gone"
        let_the_waits_pass()

        second = start_cluster(tmp_path, broker_url, rate=RATE, log="second")
        try:
            run_passes_until(
                lambda: (
                    pages.filter(status=OutboundMessage.Status.ACCEPTED).count() == 30
                    and not OutboundMessage.objects.exclude(status__in=SETTLED).exists()
                )
            )
            time.sleep(2)  # long enough for a duplicate to show up
        finally:
            kill_cluster(second)

    assert_each_send_once(tmp_path)
    assert sorted(pages.values_list("escalation", flat=True)) == sorted(escalations)
    assert set(pages.values_list("to", flat=True)) == {on_call.phone}
