"""The stored row is the work item: workers claim waiting messages, once each, red flags first."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from followup import wakeup
from followup.conversation import PROCESSING_IN_FLIGHT, claim_next, process_waiting
from followup.models import Answer, Escalation, InboundMessage
from tests.factories import make_enrolled_patient
from tests.test_webhooks import SMS, awaiting, inbound

# Claims commit on their own, as in a worker: no test transaction around them.
pytestmark = pytest.mark.django_db(transaction=True)


def replies(twilio_post, count: int, body: str = "no numbness") -> list[int]:
    """`count` patients answer their check-in; the stored messages' ids, oldest first."""
    for _ in range(count):
        patient, _ = make_enrolled_patient()
        awaiting(patient, "numbness")
        assert twilio_post(SMS, inbound(patient.phone, body)).status_code == 200
    return list(InboundMessage.objects.order_by("received_at").values_list("id", flat=True))


def unmatched(count: int) -> list[int]:
    """`count` texts from numbers no patient has, stored as the webhook stores them."""
    rows = InboundMessage.objects.bulk_create(
        InboundMessage(
            message_sid=f"SM{n:032x}", from_number=f"+1773555{n:04d}", sender="unknown",
            body="hello", question="general", assessment={"severity": "none", "findings": []},
        )
        for n in range(count)
    )  # fmt: skip
    return [row.pk for row in rows]


def test_claimers_at_once_never_take_the_same_message():
    stored = unmatched(40)
    claimed: list[list[int]] = [[] for _ in range(4)]
    start = threading.Barrier(len(claimed))

    def claim_all(mine: list[int]) -> None:
        try:
            start.wait()
            while (message_id := claim_next()) is not None:
                mine.append(message_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim_all, args=(mine,)) for mine in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [message_id for mine in claimed for message_id in mine]
    assert sorted(everything) == sorted(stored)
    assert set(InboundMessage.objects.values_list("processing_attempts", flat=True)) == {1}


def test_a_claimer_skips_a_message_another_holds_locked(twilio_post):
    first, second = replies(twilio_post, 2)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                InboundMessage.objects.select_for_update().get(pk=first)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        assert claim_next() == second
        assert claim_next() is None
    finally:
        release.set()
        holder.join()
    assert claim_next() == first


def test_red_flags_are_claimed_before_calm_replies_that_came_first(twilio_post):
    calm = replies(twilio_post, 3)
    patient, _ = make_enrolled_patient()
    awaiting(patient, "bladder_bowel")
    twilio_post(SMS, inbound(patient.phone, "I cant pee since last night"))
    red_flag = InboundMessage.objects.get(patient=patient).pk
    assert [claim_next() for _ in range(4)] == [red_flag, *calm]


def test_a_message_whose_worker_died_mid_processing_is_processed_once_after_its_claim_expires(
    twilio_post,
):
    (message_id,) = replies(twilio_post, 1)
    # A worker claimed it and died before it finished: nothing was processed.
    assert claim_next() == message_id
    assert process_waiting().ok == 0
    expired = timezone.now() + PROCESSING_IN_FLIGHT + dt.timedelta(seconds=1)
    assert process_waiting(expired).ok == 1
    assert process_waiting(expired + PROCESSING_IN_FLIGHT * 2).ok == 0
    message = InboundMessage.objects.get()
    assert message.processed_at is not None and message.processing_attempts == 2
    assert Answer.objects.filter(message=message).count() == 1


def test_a_red_flag_processed_from_its_row_opens_one_escalation(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "bladder_bowel")
    twilio_post(SMS, inbound(patient.phone, "I cant pee since last night"))
    assert process_waiting().ok == 1
    assert process_waiting().ok == 0
    assert Escalation.objects.filter(patient=patient).count() == 1


def test_a_stored_message_wakes_a_listening_worker_and_an_acknowledged_page_does_not(
    twilio_post,
):
    listener = wakeup.Listener()
    try:
        assert listener.wait(0) is False  # listening from here on
        replies(twilio_post, 1)
        assert listener.wait(5) is True
        assert listener.wait(0) is False
        # Stored processed (a clinician's acknowledgement): no work, no wake-up.
        InboundMessage.objects.create(
            message_sid="SM" + "a" * 32, from_number="+13125550801", sender="staff",
            processed_at=timezone.now(),
        )  # fmt: skip
        assert listener.wait(0.5) is False
    finally:
        listener.close()
