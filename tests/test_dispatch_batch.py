"""Dispatch in batches: one claim, insert, pace booking and commit for many check-ins, and still
each sent at most once, each failure recorded as its own, the pace never exceeded."""

import datetime as dt
import itertools
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followup import checkins, dispatch, sending, throttle
from followup.gateway import TransportError, get_gateway
from followup.models import CheckIn, OutboundMessage, SenderPace
from tests.test_dispatch import make_due

T0 = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_claim_the_same_checkin():
    due = {c.pk for c in make_due(12)}
    first_claimed, second_done = threading.Event(), threading.Event()
    claims: dict[str, set[int]] = {}

    def claim(name: str, limit: int, hold: bool) -> None:
        try:
            with transaction.atomic():
                if not hold:
                    assert first_claimed.wait(30)
                now = timezone.now()
                batch = checkins.claim_due(now, limit, held_until=now + dt.timedelta(minutes=1))
                claims[name] = {m.checkin_id for m in batch.messages}
                if hold:
                    # The first claim stays uncommitted, its rows locked, while the second runs.
                    first_claimed.set()
                    assert second_done.wait(30), "the second claim waited for the first's rows"
            if not hold:
                second_done.set()
        finally:
            connection.close()

    workers = [
        threading.Thread(target=claim, args=("first", 5, True)),
        threading.Thread(target=claim, args=("second", 100, False)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(claims["first"]) == 5
    assert claims["first"].isdisjoint(claims["second"])
    assert claims["first"] | claims["second"] == due
    assert OutboundMessage.objects.filter(kind="question").count() == 12
    assert not CheckIn.objects.filter(pk__in=due, status=CheckIn.Status.PENDING).exists()


class MixedGateway:
    """Twilio's answer by number: some refuse for good, some for now, some go unanswered."""

    def __init__(self, errors: dict[str, TransportError]):
        self.real = get_gateway()
        self.errors = errors

    def send_sms(self, to, body, *, status_callback=None):
        if to in self.errors:
            raise self.errors[to]
        return self.real.send_sms(to, body, status_callback=status_callback)


@pytest.mark.django_db
def test_a_batch_with_failures_in_the_middle_records_each_message_as_its_own(outbox):
    due = make_due(6)
    phone = [c.enrollment.patient.phone for c in due]
    errors = {
        phone[1]: TransportError("unsubscribed", permanent=True, code=21610),
        phone[2]: TransportError("429", permanent=False, code=20429),
        phone[4]: TransportError("read timed out", permanent=False, uncertain=True),
    }
    assert dispatch.dispatch_due(gateway=MixedGateway(errors)) == 6
    assert sorted(m["to"] for m in outbox) == sorted([phone[0], phone[3], phone[5]])
    found = {
        m.checkin_id: m for m in OutboundMessage.objects.filter(checkin__in=due).order_by("pk")
    }
    assert len(found) == 6
    states = []
    for checkin in due:
        checkin.refresh_from_db()
        message = found[checkin.pk]
        states.append((message.status, message.twilio_sid is not None, checkin.status))
    assert states == [
        ("accepted", True, "awaiting"),
        ("failed", False, "failed"),
        ("queued", False, "sending"),
        ("accepted", True, "awaiting"),
        ("sending", False, "sending"),
        ("accepted", True, "awaiting"),
    ]
    retried = found[due[2].pk]
    assert retried.next_attempt_at > timezone.now() and retried.attempts == 1
    assert found[due[1].pk].error_code == 21610
    assert {m["sid"] for m in outbox} == {m.twilio_sid for m in found.values() if m.twilio_sid}


class KilledAfterHandOver:
    """Twilio takes each text; the worker dies right after handing over the third."""

    def __init__(self):
        self.real = get_gateway()
        self.sent = 0

    def send_sms(self, to, body, *, status_callback=None):
        receipt = self.real.send_sms(to, body, status_callback=status_callback)
        self.sent += 1
        if self.sent == 3:
            raise SystemExit("killed")
        return receipt

    def find_sms(self, to, body, *, since):
        return self.real.find_sms(to, body, since=since)


@pytest.mark.django_db
def test_a_worker_killed_after_hand_over_leaves_its_texts_to_be_settled_never_resent(
    outbox, monkeypatch
):
    due = make_due(5)
    # One chunk of five, whatever the load (a worker behind its slots splits its chunks).
    monkeypatch.setattr(sending, "LATE", dt.timedelta(hours=1))
    with pytest.raises(SystemExit):
        dispatch.dispatch_due(gateway=KilledAfterHandOver())
    assert len(outbox) == 3
    messages = OutboundMessage.objects.filter(checkin__in=due)
    # Marked sending together before the first hand-over, nothing recorded since: no SID.
    assert [(m.status, m.twilio_sid) for m in messages] == [("sending", None)] * 5
    later = timezone.now() + dt.timedelta(minutes=3)
    dispatch.dispatch_due(now=later)  # looked up: three adopted, two freed for a resend
    dispatch.dispatch_due(now=later + dt.timedelta(seconds=1))
    assert sorted(m["to"] for m in outbox) == sorted(c.enrollment.patient.phone for c in due)
    assert {m["sid"] for m in outbox} == set(messages.values_list("twilio_sid", flat=True))
    assert set(messages.values_list("status", flat=True)) == {"accepted"}
    assert set(
        CheckIn.objects.filter(pk__in=[c.pk for c in due]).values_list("status", flat=True)
    ) == {"awaiting"}


@pytest.mark.django_db
def test_calls_unreachable_patients_and_numbered_forms_in_a_batch_go_as_one_at_a_time(outbox):
    (text,) = make_due()
    (call,) = make_due(preferred_channel="voice")
    (unreachable,) = make_due(sms_opted_out_at=timezone.now(), accepts_calls=False)
    (numbered,) = make_due()
    numbered.step.numbered = True
    numbered.step.questions = ["general", "numbness", "bladder_bowel", "pain"]
    numbered.step.save()
    assert dispatch.dispatch_due() == 3
    by_kind = {(r["kind"], r["to"]) for r in outbox}
    assert by_kind == {
        ("sms", text.enrollment.patient.phone),
        ("call", call.enrollment.patient.phone),
        ("sms", numbered.enrollment.patient.phone),
    }
    for checkin in (text, call, unreachable, numbered):
        checkin.refresh_from_db()
    assert (text.status, call.status, numbered.status) == ("awaiting",) * 3
    assert unreachable.status == CheckIn.Status.CANCELLED and unreachable.prompted_at is None
    assert numbered.questions == ["checklist"]
    form = OutboundMessage.objects.get(checkin=numbered)
    assert form.question == "checklist" and "1" in form.body
    assert OutboundMessage.objects.get(checkin=call).channel == "voice"


@pytest.mark.django_db
def test_a_batch_books_consecutive_slots_at_the_rate_and_no_further_than_the_wait(settings):
    settings.TWILIO_SEGMENTS_PER_SECOND = 10
    one, two = "a" * 10, "a" * 200  # one segment, two segments
    starts = throttle.reserve_many(
        "+1555", [one, two, one] + [one] * 30, T0, dt.timedelta(seconds=2)
    )
    gaps = [round((b - a).total_seconds(), 6) for a, b in itertools.pairwise(starts)]
    assert starts[0] == T0
    assert gaps[:3] == [0.1, 0.2, 0.1]
    assert set(gaps[3:]) == {0.1}
    # Slots start at most 2 s ahead: 0, 0.1, 0.3, then 0.4 ... 2.0.
    assert len(starts) == 20 and starts[-1] == T0 + dt.timedelta(seconds=2)
    assert SenderPace.objects.get(number="+1555").next_free_at == starts[-1] + dt.timedelta(
        seconds=0.1
    )
    # The pace is full as far as the wait reaches: nothing more is booked, nothing moves.
    assert throttle.reserve_many("+1555", [one], T0, dt.timedelta(seconds=2)) == []
    assert throttle.capacity("+1555", T0, dt.timedelta(seconds=2)) == 0
    # Single sends queue up behind the batch, and a later batch behind them.
    assert throttle.reserve("+1555", one, T0, dt.timedelta(seconds=5)) == T0 + dt.timedelta(
        seconds=2.1
    )
    later = throttle.reserve_many("+1555", [one, one], T0, dt.timedelta(seconds=5))
    assert later == [T0 + dt.timedelta(seconds=2.2), T0 + dt.timedelta(seconds=2.3)]


@pytest.mark.django_db
def test_a_pass_claims_no_more_than_the_pace_carries_within_its_wait(settings, outbox):
    settings.TWILIO_SEGMENTS_PER_SECOND = 1
    due = [c.pk for c in make_due(5)]
    SenderPace.objects.create(
        number="+15550000000", next_free_at=timezone.now() + dt.timedelta(hours=1)
    )
    settings.TWILIO_FROM_NUMBER = "+15550000000"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    assert dispatch.dispatch_due() == 0
    assert outbox == []
    assert set(CheckIn.objects.filter(pk__in=due).values_list("status", flat=True)) == {"pending"}


# Statements for a whole pass (a savepoint stands for each BEGIN and COMMIT it is outside a
# test): the pass's own bookkeeping (6, the number's first pace row made once among them), then
# per batch a pace read, the claim, the load, the insert and the booking, per chunk of up to 50
# texts one update marking them sending and two recording them, and a last empty claim. One at a
# time it was 11 statements and 4 commits per check-in.
@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 8])
def test_a_pass_costs_statements_per_batch_not_per_checkin(outbox, monkeypatch, count):
    make_due(count)
    # The count of a worker that keeps up with its slots: one that falls behind books afresh
    # (a statement or two more per chunk), and how often depends on the machine's load.
    monkeypatch.setattr(sending, "LATE", dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as queries:
        assert dispatch.dispatch_due() == count
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    listing = "\n".join(statements)
    assert len(statements) <= 18, f"{len(statements)} statements\n{listing}"
    assert len(outbox) == count
