"""Dispatch: due check-ins are claimed atomically and each is sent at most once."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from followup import dispatch
from followup.dashboard import failed_sends, open_care_items
from followup.gateway import TransportError, get_gateway
from followup.models import CareItem, CheckIn, Enrollment, OutboundMessage, WorkerPass
from followup.sending import MAX_ATTEMPTS
from tests.factories import make_enrolled_patient


def make_due(count=1, **patient):
    checkins = []
    for _ in range(count):
        _, enrollment = make_enrolled_patient(**patient)
        checkin = enrollment.checkins.order_by("due_at").first()
        checkin.due_at = timezone.now() - dt.timedelta(minutes=1)
        checkin.save()
        checkins.append(checkin)
    return checkins


class FailingGateway:
    def __init__(self, error):
        self.error = error
        self.calls = 0

    def send_sms(self, to, body, *, status_callback=None):
        self.calls += 1
        raise self.error


@pytest.mark.django_db
def test_a_due_checkin_sends_its_first_question_in_the_patients_language(outbox):
    (checkin,) = make_due(language="es", first_name="Rosa")
    assert dispatch.dispatch_due() == 1
    assert len(outbox) == 1
    assert outbox[0]["body"].startswith("Hola, le escribe")
    assert "Rosa" not in outbox[0]["body"]
    assert "¿Cómo se siente hoy?" in outbox[0]["body"]
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.AWAITING
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert message.twilio_sid == outbox[0]["sid"]
    assert message.question == "general"


@pytest.mark.django_db
def test_checkins_not_yet_due_or_of_paused_enrollments_are_not_sent(outbox):
    (paused,) = make_due()
    Enrollment.objects.filter(pk=paused.enrollment_id).update(status=Enrollment.Status.PAUSED)
    make_enrolled_patient()  # first check-in in the future
    assert dispatch.dispatch_due() == 0
    assert outbox == []


@pytest.mark.django_db
def test_a_second_pass_sends_nothing_again(outbox):
    make_due(2)
    assert dispatch.dispatch_due() == 2
    assert dispatch.dispatch_due() == 0
    assert len(outbox) == 2


@pytest.mark.django_db
def test_an_opted_out_patient_gets_no_checkin_text(outbox):
    (checkin,) = make_due(sms_opted_out_at=timezone.now(), accepts_calls=False)
    dispatch.dispatch_due()
    assert outbox == []
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.CANCELLED


@pytest.mark.django_db
def test_a_permanent_twilio_error_fails_the_checkin_and_shows_it(outbox):
    (checkin,) = make_due()
    failing = FailingGateway(TransportError("unsubscribed", permanent=True, code=21610))
    dispatch.dispatch_due(gateway=failing)
    message = OutboundMessage.objects.get(checkin=checkin)
    assert (message.status, message.error_code) == (OutboundMessage.Status.FAILED, 21610)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.FAILED


@pytest.mark.django_db
def test_a_transient_error_is_retried_by_a_later_pass(outbox):
    (checkin,) = make_due()
    dispatch.dispatch_due(gateway=FailingGateway(TransportError("429", permanent=False)))
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=10)
    dispatch.dispatch_due(now=timezone.now() + dt.timedelta(seconds=5))  # too early
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED
    dispatch.dispatch_due(now=timezone.now() + dt.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert message.attempts == 2
    assert len(outbox) == 1


class LostAnswerGateway:
    """Twilio accepts the message, but its answer never reaches us (a read timeout)."""

    def __init__(self):
        self.real = get_gateway()

    def send_sms(self, to, body, *, status_callback=None):
        self.real.send_sms(to, body, status_callback=status_callback)
        raise TransportError("read timed out", permanent=False, uncertain=True)

    def find_sms(self, to, body, *, since):
        return self.real.find_sms(to, body, since=since)


class LookupDownGateway(FailingGateway):
    def find_sms(self, to, body, *, since):
        raise TransportError("connect timed out", permanent=False)


@pytest.mark.django_db
def test_an_uncertain_send_that_reached_twilio_is_adopted_not_resent(outbox):
    (checkin,) = make_due()
    dispatch.dispatch_due(gateway=LostAnswerGateway())
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.SENDING
    dispatch.dispatch_due(now=timezone.now() + dt.timedelta(minutes=3))
    message.refresh_from_db()
    assert (message.status, message.twilio_sid) == ("accepted", outbox[0]["sid"])
    assert len(outbox) == 1
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.AWAITING


@pytest.mark.django_db
def test_an_uncertain_send_twilio_never_got_is_resent_once(outbox):
    (checkin,) = make_due()
    uncertain = TransportError("HTTP 503", permanent=False, uncertain=True, code=503)
    dispatch.dispatch_due(gateway=FailingGateway(uncertain))
    later = timezone.now() + dt.timedelta(minutes=3)
    dispatch.dispatch_due(now=later)  # the lookup finds nothing: free to resend
    dispatch.dispatch_due(now=later + dt.timedelta(seconds=1))
    assert len(outbox) == 1
    assert OutboundMessage.objects.get(checkin=checkin).status == "accepted"


@pytest.mark.django_db
def test_an_uncertain_send_that_cannot_be_looked_up_stays_for_staff(outbox, client):
    (checkin,) = make_due()
    gateway = LookupDownGateway(TransportError("timeout", permanent=False, uncertain=True))
    dispatch.dispatch_due(gateway=gateway)
    dispatch.dispatch_due(now=timezone.now() + dt.timedelta(minutes=10), gateway=gateway)
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.SENDING
    assert outbox == []
    assert message in failed_sends(timezone.now() + dt.timedelta(minutes=10))


@pytest.mark.django_db
def test_retries_back_off_exponentially_with_jitter():
    from followup.sending import backoff

    first = [backoff(1).total_seconds() for _ in range(200)]
    fourth = [backoff(4).total_seconds() for _ in range(200)]
    assert min(first) >= 15 and max(first) <= 45
    assert min(fourth) >= 120 and max(fourth) <= 360
    assert len(set(first)) > 100  # jittered, not in step


@pytest.mark.django_db(transaction=True)
def test_two_dispatch_passes_at_once_send_each_checkin_once(outbox):
    checkins = make_due(30)
    barrier = threading.Barrier(2)
    results = []

    def run_pass():
        try:
            barrier.wait()
            results.append(dispatch.dispatch_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=run_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 30
    assert sorted(m["to"] for m in outbox) == sorted(c.enrollment.patient.phone for c in checkins)
    assert OutboundMessage.objects.filter(kind=OutboundMessage.Kind.QUESTION).count() == 30


@pytest.mark.django_db
def test_send_due_checkins_command_dispatches_as_of_a_given_time(outbox):
    _, enrollment = make_enrolled_patient()
    first, second = enrollment.checkins.order_by("due_at")[:2]
    out = io.StringIO()
    # A day after the second check-in was due, a pass as of the first's time sends the first only.
    with time_machine.travel(second.due_at + dt.timedelta(days=1), tick=False):
        call_command("send_due_checkins", "--now", first.due_at.isoformat(), stdout=out)
    assert "Sent 1 check-in" in out.getvalue()
    assert [m["to"] for m in outbox] == [enrollment.patient.phone]
    assert CheckIn.objects.get(pk=second.pk).status == CheckIn.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["send_due_checkins", "advance_ladders"])
def test_a_now_ahead_of_the_clock_is_refused_and_nothing_goes_out_early(outbox, command):
    _, enrollment = make_enrolled_patient()
    first = enrollment.checkins.order_by("due_at").first()
    with pytest.raises(CommandError, match="is in the future: it would act on what is not yet due"):
        call_command(command, "--now", first.due_at.isoformat())
    assert outbox == []
    assert CheckIn.objects.get(pk=first.pk).status == CheckIn.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T10:00", "2026-06-01T10:00"])
def test_send_due_checkins_rejects_a_bad_or_naive_time(bad):
    with pytest.raises(CommandError):
        call_command("send_due_checkins", "--now", bad)


def poison(checkin):
    """A check-in with no question left to ask: writing its first message raises."""
    CheckIn.objects.filter(pk=checkin.pk).update(questions=[])


@pytest.mark.django_db
def test_a_poisoned_checkin_is_stopped_and_shown_to_staff_while_the_rest_are_sent(outbox):
    poisoned, *healthy = make_due(3)
    CheckIn.objects.filter(pk=poisoned.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    poison(poisoned)
    assert dispatch.dispatch_due() == 2
    assert sorted(m["to"] for m in outbox) == sorted(c.enrollment.patient.phone for c in healthy)
    poisoned.refresh_from_db()
    assert poisoned.status == CheckIn.Status.FAILED
    (item,) = open_care_items()
    assert (item.patient, item.kind) == (poisoned.enrollment.patient, CareItem.Kind.CHECKIN_FAILED)
    assert "writing its question failed" in item.detail and "ValueError" in item.detail
    run = WorkerPass.objects.get(name="dispatch")
    assert (run.items_failed, run.items_ok) == (1, 4)
    assert f"check-in {poisoned.pk}: ValueError" in run.error
    # Stopped, not retried: the next pass has nothing left to fail on.
    assert dispatch.dispatch_due() == 0
    assert WorkerPass.objects.get(name="dispatch").items_failed == 0
    assert len(outbox) == 2


class FaultyGateway:
    """Fails with an error of ours (not a Twilio answer) for one number, sends for the rest."""

    def __init__(self, bad_number):
        self.real = get_gateway()
        self.bad_number = bad_number

    def send_sms(self, to, body, *, status_callback=None):
        if to == self.bad_number:
            raise KeyError("sid")
        return self.real.send_sms(to, body, status_callback=status_callback)

    def find_sms(self, to, body, *, since):
        return self.real.find_sms(to, body, since=since)


@pytest.mark.django_db(transaction=True)
def test_a_send_that_raises_is_recorded_and_the_pass_goes_on(outbox):
    bad, good = make_due(2)
    CheckIn.objects.filter(pk=bad.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    gateway = FaultyGateway(bad.enrollment.patient.phone)
    dispatch.dispatch_due(gateway=gateway)
    assert [m["to"] for m in outbox] == [good.enrollment.patient.phone]
    message = OutboundMessage.objects.get(checkin=bad)
    # Where the fault struck is unknown: looked up before any resend, like a timeout.
    assert message.status == OutboundMessage.Status.SENDING
    assert message.error_message == "KeyError: 'sid'"
    assert WorkerPass.objects.get(name="dispatch").items_failed == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_that_keeps_raising_fails_after_the_attempt_limit(outbox):
    (checkin,) = make_due()
    gateway = FaultyGateway(checkin.enrollment.patient.phone)
    message_attempts = []
    for minutes in range(0, 60, 3):
        dispatch.dispatch_due(now=timezone.now() + dt.timedelta(minutes=minutes), gateway=gateway)
        message_attempts.append(OutboundMessage.objects.get(checkin=checkin).attempts)
    message = OutboundMessage.objects.get(checkin=checkin)
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == MAX_ATTEMPTS == max(message_attempts)
    assert f"not sent after {MAX_ATTEMPTS} attempts: KeyError" in message.error_message
    assert message in failed_sends(timezone.now())
    assert outbox == []


class LookupFaultGateway(FailingGateway):
    """Sends fail with an unknown outcome; looking one number up raises an error of ours."""

    def __init__(self, bad_number):
        super().__init__(TransportError("timeout", permanent=False, uncertain=True))
        self.bad_number = bad_number

    def find_sms(self, to, body, *, since):
        if to == self.bad_number:
            raise ValueError("unreadable answer")
        return []


@pytest.mark.django_db
def test_a_lookup_that_raises_goes_to_staff_and_the_other_sends_are_settled(outbox, client):
    bad, good = make_due(2)
    gateway = LookupFaultGateway(bad.enrollment.patient.phone)
    dispatch.dispatch_due(gateway=gateway)
    later = timezone.now() + dt.timedelta(minutes=3)
    dispatch.dispatch_due(now=later, gateway=gateway)
    unsettled = OutboundMessage.objects.get(checkin=bad)
    assert unsettled.status == OutboundMessage.Status.UNSETTLED
    assert "Looking it up on Twilio failed (ValueError: unreadable answer)" in (
        unsettled.error_message
    )
    assert unsettled in failed_sends(later)
    # Twilio had no record of the other one: freed for a resend, in the same pass.
    assert OutboundMessage.objects.get(checkin=good).status == OutboundMessage.Status.QUEUED
    assert WorkerPass.objects.get(name="dispatch").items_failed == 1
