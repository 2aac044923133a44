"""The dispatch pass: start due check-ins, resend what is due again, settle uncertain sends."""

import datetime as dt
import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from followup import checkins, throttle
from followup.gateway import Gateway, get_gateway
from followup.health import Pass, recorded_pass
from followup.models import Channel, CheckIn, Enrollment, OutboundMessage
from followup.sending import (
    STRAY_AFTER,
    THROTTLE_MAX_WAIT,
    due_again,
    leave_queued,
    send_booked,
    send_message,
    sender_key,
    settle_uncertain,
)

BATCH = 200
# A pass stops claiming new work after this long, well inside the task timeout.
PASS_BUDGET = dt.timedelta(seconds=40)


def dispatch_due(now: dt.datetime | None = None, gateway: Gateway | None = None) -> int:
    """One pass: start due check-ins, retry what is due again, settle uncertain sends."""
    now = now or timezone.now()
    deadline = time.monotonic() + PASS_BUDGET.total_seconds()
    gateway = gateway or get_gateway()
    with recorded_pass("dispatch") as run:
        expire_stale(now, run)
        started = 0
        # A check-in whose failure could not even be recorded stays pending: once is enough.
        tried: set[int] = set()
        # The demo's SQLite has no SKIP LOCKED; its one worker sends one at a time.
        batches = connection.vendor == "postgresql"
        while batches and time.monotonic() < deadline:
            try:
                batch = claim_batch(now, run, deadline, tried)
            except Exception as exc:
                # The claim rolled back whole: one at a time, the culprit fails alone.
                run.fail("claiming a batch of check-ins", exc)
                started += _dispatch_one_by_one(now, gateway, run, deadline, tried)
                break
            if not batch.claimed.count:
                break
            send_batch(batch, gateway, run, deadline)
            started += len(batch.claimed.messages)
        if not batches:
            started += _dispatch_one_by_one(now, gateway, run, deadline, tried)
        retry = due_again(now).order_by("created_at").values_list("id", flat=True)
        for message_id in list(retry[:BATCH]):
            if time.monotonic() > deadline:
                break
            with run.item(f"message {message_id}"):
                send_message(message_id, gateway, now=now, max_wait=_remaining(deadline))
        settle_uncertain(now, run, gateway)
    return started


@dataclass
class Batch:
    claimed: checkins.Claimed
    # The texts with a slot in the pace, each with its slot's start.
    booked: list[tuple[OutboundMessage, dt.datetime]]


def claim_batch(now: dt.datetime, run: Pass, deadline: float, tried: set[int]) -> Batch:
    """Claim due check-ins, write their questions and book their slots, all in one commit.

    A batch is no larger than the number's pace can carry within the wait a pass allows, so
    the pace is never booked further ahead than that.
    """
    max_wait = _remaining(deadline)
    number = sender_key()
    size = min(BATCH, throttle.capacity(number, timezone.now(), max_wait))
    if size == 0:
        return Batch(checkins.Claimed(), [])
    with transaction.atomic():
        # Kept from the sweep for lost sends while this worker may still send them at their slots.
        held_until = timezone.now() + max_wait + STRAY_AFTER
        claimed = checkins.claim_due(now, size, held_until, skip=tried)
        texts = [m for m in claimed.messages if m.channel == Channel.SMS]
        # Last before the commit: the pace's row is locked for as short a time as can be.
        starts = throttle.reserve_many(number, [m.body for m in texts], timezone.now(), max_wait)
        if len(starts) < len(texts):
            leave_queued(texts[len(starts) :], timezone.now())
    for checkin_id, exc in claimed.failed:
        tried.add(checkin_id)
        failed = functools.partial(checkins.fail, checkin_id, now, "writing its question")
        run.fail(f"check-in {checkin_id}", exc, failed)
    run.done(claimed.count - len(claimed.failed))
    return Batch(claimed, list(zip(texts, starts, strict=False)))


def send_batch(batch: Batch, gateway: Gateway, run: Pass, deadline: float) -> None:
    """Hand a claimed batch to Twilio: texts at their slots, then calls one at a time."""
    send_booked(batch.booked, gateway, run, deadline)
    for call in batch.claimed.messages:
        if call.channel == Channel.VOICE:
            with run.item(f"message {call.pk}"):
                send_message(call.pk, gateway, max_wait=_remaining(deadline))


def _dispatch_one_by_one(
    now: dt.datetime, gateway: Gateway, run: Pass, deadline: float, tried: set[int]
) -> int:
    started = 0
    due = CheckIn.objects.filter(
        status=CheckIn.Status.PENDING,
        due_at__lte=now,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).order_by("due_at")
    while time.monotonic() < deadline and (
        batch := list(due.exclude(id__in=tried).values_list("id", flat=True)[:BATCH])
    ):
        for checkin_id in batch:
            if time.monotonic() > deadline:
                break
            tried.add(checkin_id)
            message = None
            failed = functools.partial(checkins.fail, checkin_id, now, "writing its question")
            with run.item(f"check-in {checkin_id}", failed):
                message = checkins.claim(checkin_id, now)
            if message is not None:
                with run.item(f"message {message.pk}"):
                    send_message(message.pk, gateway, max_wait=_remaining(deadline))
                started += 1
    return started


def _remaining(deadline: float) -> dt.timedelta:
    # A pass may wait for pacing slots for as long as its own time budget lasts.
    return max(THROTTLE_MAX_WAIT, dt.timedelta(seconds=deadline - time.monotonic()))


def expire_stale(now: dt.datetime, run: Pass) -> None:
    """Check-ins that could not go out within the send window expire, and staff hear of it."""
    cutoff = now - dt.timedelta(minutes=settings.CHECKIN_SEND_WINDOW_MINUTES)
    stale = CheckIn.objects.filter(status=CheckIn.Status.PENDING, due_at__lt=cutoff).exclude(
        enrollment__status__in=[Enrollment.Status.PAUSED]
    )
    for checkin in stale.select_related("enrollment__patient"):
        failed = functools.partial(checkins.fail, checkin.pk, now, "expiring it")
        with run.item(f"check-in {checkin.pk}", failed):
            checkins.expire(checkin, now)
