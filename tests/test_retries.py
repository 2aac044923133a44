"""Work that failed or that no worker took is picked up again by a sweep: once, and not forever."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from followup import escalation, tasks
from followup.conversation import PROCESSING_ATTEMPTS, retry_unprocessed
from followup.dispatch import dispatch_due
from followup.models import Answer, EscalationEvent, InboundMessage, OutboundMessage, WorkerPass
from tests.factories import make_enrolled_patient, make_patient, make_user
from tests.test_webhooks import SMS, awaiting, inbound

# The worker runs outside any transaction: so do these tests, or a failure's record would be
# rolled back with the test's savepoint.
pytestmark = pytest.mark.django_db(transaction=True)

BLIP = "server closed the connection unexpectedly"


def later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def red_flag(twilio_post):
    """A stored red-flag reply that no worker has processed yet."""
    patient, _ = make_enrolled_patient()
    awaiting(patient, "general")
    twilio_post(SMS, inbound(patient.phone, "my left foot has gone numb"))
    return InboundMessage.objects.get()


def failing_reports(monkeypatch, times):
    """record_report fails with a database blip `times` times, then works."""
    real, calls = escalation.record_report, []

    def record_report(*args):
        calls.append(args)
        if len(calls) <= times:
            raise OperationalError(BLIP)
        return real(*args)

    monkeypatch.setattr(escalation, "record_report", record_report)
    return calls


def test_processing_that_fails_once_is_retried_by_the_next_sweep_and_done_once(
    red_flag, monkeypatch
):
    failing_reports(monkeypatch, times=1)
    with pytest.raises(OperationalError):
        tasks.process_inbound(red_flag.pk)
    red_flag.refresh_from_db()
    assert (red_flag.processed_at, red_flag.processing_attempts) == (None, 1)
    assert red_flag.processing_error == f"OperationalError: {BLIP}"
    assert not Answer.objects.exists()
    assert retry_unprocessed(later(2)) == 1
    red_flag.refresh_from_db()
    assert red_flag.processed_at is not None
    assert Answer.objects.count() == 1
    assert EscalationEvent.objects.filter(kind=EscalationEvent.Kind.OPENED).count() == 1
    # Neither a later sweep nor a late copy of the original task processes it again.
    assert retry_unprocessed(later(30)) == 0
    tasks.process_inbound(red_flag.pk)
    assert Answer.objects.count() == 1
    assert EscalationEvent.objects.count() == 1


def test_a_failed_processing_waits_for_its_backoff_before_the_sweep_tries_again(
    red_flag, monkeypatch
):
    calls = failing_reports(monkeypatch, times=1)
    with pytest.raises(OperationalError):
        tasks.process_inbound(red_flag.pk)
    assert retry_unprocessed(later(0.1)) == 0
    assert len(calls) == 1


def test_processing_that_keeps_failing_stops_after_the_limit_and_shows_staff_why(
    red_flag, monkeypatch, client
):
    calls = failing_reports(monkeypatch, times=100)
    for minutes in range(1, 121, 10):
        retry_unprocessed(later(minutes))
    assert len(calls) == PROCESSING_ATTEMPTS
    red_flag.refresh_from_db()
    assert (red_flag.processed_at, red_flag.processing_attempts) == (None, PROCESSING_ATTEMPTS)
    assert WorkerPass.objects.get(name="inbound").items_failed == 0  # the last sweep left it
    nurse = make_user()
    # Staff see only their care teams' patients.
    red_flag.patient.care_team.members.add(nurse)
    client.force_login(nurse)
    html = client.get("/").content.decode()
    section = html[html.index("Messages needing review") :]
    assert f'data-message="{red_flag.pk}"' in section
    assert "and no escalation could be opened: act on it by hand" in section
    assert (
        f"Processing stopped after {PROCESSING_ATTEMPTS} failed attempts: OperationalError: {BLIP}"
        in section
    )


def test_a_failed_attempt_shows_staff_the_reason_while_it_is_retried(red_flag, monkeypatch, client):
    failing_reports(monkeypatch, times=1)
    with pytest.raises(OperationalError):
        tasks.process_inbound(red_flag.pk)
    nurse = make_user()
    # Staff see only their care teams' patients.
    red_flag.patient.care_team.members.add(nurse)
    client.force_login(nurse)
    html = client.get("/").content.decode()
    assert f"Processing failed (attempt 1) and will be tried again: OperationalError: {BLIP}" in (
        html
    )


def test_a_message_no_worker_took_is_processed_by_the_sweep_at_once_and_once(red_flag):
    # No task was queued for it: the stored row is the work, due as soon as it is stored.
    assert retry_unprocessed(timezone.now()) == 1
    assert retry_unprocessed(later(5)) == 0
    red_flag.refresh_from_db()
    assert red_flag.processed_at is not None and red_flag.processing_attempts == 1
    assert Answer.objects.count() == 1


def test_a_queued_send_whose_task_was_lost_is_sent_by_the_sweep_exactly_once(outbox):
    patient = make_patient()
    message = OutboundMessage.objects.create(
        patient=patient, to=patient.phone, body="See you tomorrow.", kind="other"
    )
    dispatch_due(now=later(0.25))  # its own task may still be on the way
    assert outbox == []
    dispatch_due(now=later(1))
    dispatch_due(now=later(2))
    assert [m["body"] for m in outbox] == ["See you tomorrow."]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundMessage.Status.ACCEPTED, 1)


def test_a_send_whose_acceptance_was_half_recorded_is_settled_once_with_its_checkin(
    outbox, monkeypatch
):
    from followup import checkins

    _, enrollment = make_enrolled_patient()
    checkin = enrollment.checkins.order_by("due_at").first()
    checkin.due_at = timezone.now()
    checkin.save()
    with monkeypatch.context() as patched:
        # The worker dies after Twilio took the text, while recording it.
        patched.setattr(checkins, "mark_sent_many", lambda *args: (_ for _ in ()).throw(OSError()))
        dispatch_due(now=later(0))
    message = OutboundMessage.objects.get(checkin=checkin)
    assert (message.status, message.twilio_sid) == (OutboundMessage.Status.SENDING, None)
    dispatch_due(now=later(3))
    message.refresh_from_db()
    checkin.refresh_from_db()
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert message.twilio_sid == outbox[0]["sid"] and len(outbox) == 1
    assert checkin.status == checkin.Status.AWAITING


def test_a_reply_stored_while_the_broker_is_down_is_answered_and_processed_by_the_sweep(
    twilio_post, monkeypatch
):
    from django_q.conf import Conf

    from tests.servers import free_port

    patient, _ = make_enrolled_patient()
    awaiting(patient, "general")
    with monkeypatch.context() as patched:
        # A Redis broker that does not answer: queueing the processing fails after the commit.
        patched.setattr(Conf, "ORM", None)
        patched.setattr(Conf, "REDIS", f"redis://127.0.0.1:{free_port()}/0")
        response = twilio_post(SMS, inbound(patient.phone, "my left foot has gone numb"))
    assert response.status_code == 200
    assert "911" in response.content.decode()
    message = InboundMessage.objects.get()
    assert message.processed_at is None
    assert retry_unprocessed(now=later(1)) == 1
    message.refresh_from_db()
    assert message.processed_at is not None and Answer.objects.count() == 1
