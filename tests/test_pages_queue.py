"""Pages never wait: a page goes out within seconds while a busy worker paces hundreds of texts."""

import collections
import datetime as dt
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.tasks import async_task

from followup import queues
from followup.defaults import DISPATCH_SCHEDULE, LADDER_SCHEDULE, ensure_schedules
from followup.models import CheckIn, Escalation, InboundMessage, OutboundMessage, Severity
from followup.sending import send_after_commit
from tests.clusters import (
    BROKERS,
    kill_cluster,
    sent,
    start_cluster,
    stop_cluster,
    task_broker,
    wait_for,
)
from tests.factories import daytime, make_enrolled_patient, make_patient, make_team, make_user
from tests.test_webhooks import SMS, awaiting, inbound

RATE = 10  # texts a second: 300 due check-ins keep the one default worker busy for 30 s
# The target: a page sent within this long of falling due while dispatch runs.
WITHIN = dt.timedelta(seconds=15)


def at(record: dict[str, str]) -> dt.datetime:
    return dt.datetime.fromisoformat(record["at"])


def queued() -> dict[str, str]:
    """Each task waiting in the database broker, by name, with the queue it waits in."""
    return {row.task["name"]: row.key for row in OrmQ.objects.all()}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_run_pages_processes_stored_replies_as_they_arrive_red_flags_first(tmp_path, twilio_post):
    calm = [make_enrolled_patient()[0] for _ in range(6)]
    red_flag = make_enrolled_patient()[0]
    for patient in calm:
        awaiting(patient, "numbness")
    awaiting(red_flag, "bladder_bowel")
    # A backlog stored before the worker starts, the red flag last...
    for patient in calm[:5]:
        twilio_post(SMS, inbound(patient.phone, "no numbness"))
    twilio_post(SMS, inbound(red_flag.phone, "I cant pee since last night"))
    replies = InboundMessage.objects.filter(sender=InboundMessage.Sender.PATIENT)
    worker = start_cluster(tmp_path, "", rate=RATE, workers=1, log="pages", command=("run_pages",))
    try:
        wait_for(lambda: not replies.filter(processed_at=None).exists(), 60, "the backlog")
        # ...and one more once it waits: its NOTIFY (or the poll) wakes it.
        twilio_post(SMS, inbound(calm[5].phone, "no numbness"))
        wait_for(lambda: not replies.filter(processed_at=None).exists(), 30, "the new reply")
    finally:
        stop_cluster(worker)
    order = list(replies.order_by("processed_at").values_list("patient", flat=True))
    assert order[0] == red_flag.pk
    assert Escalation.objects.filter(patient=red_flag).count() == 1
    assert set(replies.values_list("processing_attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_pages_are_sent_from_the_pages_queue_and_other_texts_from_the_default(
    django_capture_on_commit_callbacks,
):
    patient = make_patient()
    page = OutboundMessage.objects.create(to="+13125550801", body="x", kind="page")
    text = OutboundMessage.objects.create(patient=patient, to=patient.phone, body="x")
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(page)
        send_after_commit(text)
    assert queued() == {f"send-{page.pk}": queues.PAGES, f"send-{text.pk}": "followup"}


@pytest.mark.django_db
def test_the_ladder_schedule_runs_on_the_pages_cluster_and_dispatch_on_the_default():
    ensure_schedules()
    clusters = dict(Schedule.objects.values_list("name", "cluster"))
    assert clusters[LADDER_SCHEDULE] == queues.PAGES
    assert clusters[DISPATCH_SCHEDULE] is None


def test_run_pages_refuses_an_interval_out_of_range():
    with pytest.raises(CommandError, match="--interval 0"):
        call_command("run_pages", "--interval", "0")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", BROKERS)
def test_pages_go_out_within_15_s_while_one_busy_worker_dispatches(tmp_path, broker, twilio_post):
    enrollments = [make_enrolled_patient(**daytime())[1] for _ in range(20)]
    CheckIn.objects.filter(enrollment__in=enrollments).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    due = CheckIn.objects.filter(status=CheckIn.Status.PENDING).count()
    assert due >= 300
    on_call = make_user(phone="+13125550801")
    # Emergencies page at once: the ladder's first step is due when the escalation opens.
    team = make_team(on_call=on_call, ack_timeout_minutes=0)
    ladder = Escalation.objects.create(
        patient=make_patient(care_team=team), severity=Severity.EMERGENCY, findings=["bladder"],
        opened_at=timezone.now(),
    )  # fmt: skip
    replying = make_enrolled_patient(care_team=team, **daytime())[0]
    awaiting(replying, "bladder_bowel")
    pages_to: list[dict[str, str]] = []
    still_dispatching = False

    with task_broker(broker, tmp_path) as broker_url:
        default = start_cluster(tmp_path, broker_url, rate=RATE, workers=1, log="default")
        pages = start_cluster(
            tmp_path, broker_url, rate=RATE, workers=1, log="pages", command=("run_pages",)
        )
        try:
            async_task("followup.tasks.dispatch_due")
            # Generous: the wait ends as soon as it holds; a loaded machine starts a cluster slowly.
            wait_for(lambda: len(sent(tmp_path)) >= 20, 120, "dispatch under way")
            # A ladder step falls due in the middle of the dispatch...
            falls_due = timezone.now() + dt.timedelta(seconds=3)
            Escalation.objects.filter(pk=ladder.pk).update(page_level=0, next_page_at=falls_due)
            # ...and a red-flag reply arrives a little later: processed on the pages queue, its
            # escalation opens and pages.
            time.sleep(4)
            replied = timezone.now()
            response = twilio_post(SMS, inbound(replying.phone, "I cant pee since last night"))
            assert response.status_code == 200

            def paged() -> list[dict[str, str]]:
                return [r for r in sent(tmp_path) if r["to"] == on_call.phone]

            pages_to = wait_for(lambda: len(paged()) >= 2 and paged(), 60, "both pages")
            time.sleep(3)  # long enough for a duplicate to show up
            pages_to = paged()
            still_dispatching = len(sent(tmp_path)) - len(pages_to) < due
        finally:
            # Dispatch is only the load here: no need to wait for it to finish its minute.
            kill_cluster(default)
            stop_cluster(pages)

    assert still_dispatching, "the default worker was busy with dispatch all along"
    # Exactly once: one text page for each escalation, none twice.
    assert len(pages_to) == 2
    sms_pages = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.PAGE, channel="sms")
    assert collections.Counter(sms_pages.values_list("escalation__patient", flat=True)) == {
        ladder.patient_id: 1,
        replying.pk: 1,
    }
    sids = {page.escalation.patient_id: page.twilio_sid for page in sms_pages}
    by_sid = {r["sid"]: r for r in pages_to}
    ladder_latency = at(by_sid[sids[ladder.patient_id]]) - falls_due
    reply_latency = at(by_sid[sids[replying.pk]]) - replied
    print(f"\n[{broker}] page after its step fell due: {ladder_latency.total_seconds():.1f} s; "
          f"after the red-flag reply: {reply_latency.total_seconds():.1f} s")  # fmt: skip
    assert ladder_latency < WITHIN
    assert reply_latency < WITHIN
