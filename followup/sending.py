"""Handing one written message to the gateway: paced, retried with backoff, never sent twice."""

import datetime as dt
import functools
import logging
import random
import time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from followup import checkins, metrics, queues, throttle
from followup.consent import NUMBER_FAILURES, record_failed_number
from followup.gateway import Gateway, Receipt, TransportError, get_gateway
from followup.health import Pass, describe
from followup.links import status_callback_url, twilio_url
from followup.models import Channel, OutboundMessage
from followup.phones import mask

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(minutes=30)
# A message waits for its slot in the number's pace at most this long inside a task; a later
# slot is left for a later pass.
THROTTLE_MAX_WAIT = dt.timedelta(seconds=2)
# A send whose outcome is unknown is looked up on Twilio once this has passed.
SETTLE_AFTER = dt.timedelta(minutes=2)
# Twilio's times have whole-second resolution and its clock is not ours: a record this much
# older than our row may still be the send whose answer was lost.
CLOCK_SKEW = dt.timedelta(seconds=5)
# A queued message this old lost its task (a crash between commit and enqueue): the sweep sends it.
STRAY_AFTER = dt.timedelta(seconds=30)
# Sends handed over in a batch are recorded this many at a time, or after this many seconds.
RECORD_CHUNK = 50
RECORD_EVERY = 1.0
# A text this far behind its booked slot is not sent in it: it and those after it are booked
# afresh. Later, it would crowd the slots booked after it (20 ms is 2 segments at 100 a second).
LATE = dt.timedelta(milliseconds=20)


def sender_key() -> str:
    return settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER


def send_after_commit(message: OutboundMessage) -> None:
    """Queue a written message for sending once the transaction that wrote it commits."""
    urgent = message.kind == OutboundMessage.Kind.PAGE
    # robust: with the broker down, the written message is sent by the sweep (due_again).
    transaction.on_commit(
        lambda: queues.enqueue(
            "followup.tasks.send_message",
            message.pk,
            task_name=f"send-{message.pk}",
            urgent=urgent,
        ),
        robust=True,
    )


def send_message(
    message_id: int,
    gateway: Gateway | None = None,
    now: dt.datetime | None = None,
    max_wait: dt.timedelta = THROTTLE_MAX_WAIT,
) -> bool:
    """Send one queued message if nobody else is; True when Twilio accepted it.

    It waits up to `max_wait` for its slot in the number's pace, else stays queued.
    """
    now = now or timezone.now()
    claimed = (
        OutboundMessage.objects.filter(id=message_id, status=OutboundMessage.Status.QUEUED)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .update(
            status=OutboundMessage.Status.SENDING,
            attempts=F("attempts") + 1,
            status_updated_at=timezone.now(),
        )
    )
    if claimed != 1:
        return False
    # With its check-in: recording the send reads its due time (the dispatch lag).
    message = OutboundMessage.objects.select_related("checkin").get(id=message_id)
    if message.channel == Channel.SMS and not _wait_for_slot(message, max_wait):
        return False
    receipt = _try_hand_over(message, gateway or get_gateway())
    if receipt is None:
        return False
    _record_acceptance(message, receipt)
    return True


def send_booked(
    booked: list[tuple[OutboundMessage, dt.datetime]],
    gateway: Gateway,
    run: Pass,
    deadline: float,
) -> int:
    """Hand written texts to Twilio, each at its booked slot; how many Twilio accepted.

    A chunk at a time: marked sending (only those still queued: a sweep may have taken one),
    handed over, and its acceptances recorded. A worker killed in a chunk leaves at most that
    chunk "sending" with no SID, for settle_uncertain to look up: never resent blindly. Slots
    are booked afresh from `now` when the worker falls behind them, never further ahead than
    the pass's `deadline` (time.monotonic()).
    """
    total = 0
    while booked:
        chunk, booked = _chunk(booked)
        taken = _mark_sending([m for m, _ in chunk])
        chunk = [(m, start) for m, start in chunk if m.pk in taken]
        accepted: list[tuple[OutboundMessage, Receipt]] = []
        fresh = False
        while chunk:
            message, start = chunk[0]
            if not fresh and timezone.now() - start > LATE:
                # Behind its slots (a slow or paused worker): sent now, these would crowd the
                # slots booked after this batch's and exceed the pace, so they are booked anew.
                chunk, booked = _rebook(chunk, booked, deadline)
                # The first after booking anew goes whatever happens: a loaded worker makes headway.
                fresh = True
                continue
            chunk, fresh = chunk[1:], False
            wait = (start - timezone.now()).total_seconds()
            if wait > 0:
                time.sleep(wait)
            with run.item(f"message {message.pk}"):
                receipt = _try_hand_over(message, gateway)
                if receipt is not None:
                    accepted.append((message, receipt))
        if accepted:
            total += _record_chunk(accepted, run)
    return total


def _chunk(
    booked: list[tuple[OutboundMessage, dt.datetime]],
) -> tuple[list[tuple[OutboundMessage, dt.datetime]], list[tuple[OutboundMessage, dt.datetime]]]:
    # Answers may come back within seconds: a chunk's check-ins must be awaiting them by then.
    # Two texts alike to one number never share a chunk: after a kill, the lookup could not
    # tell which of them Twilio has.
    until = booked[0][1] + dt.timedelta(seconds=RECORD_EVERY)
    seen: set[tuple[str, str]] = set()
    n = 0
    while n < min(len(booked), RECORD_CHUNK):
        message, start = booked[n]
        if n and (start > until or (message.to, message.body) in seen):
            break
        seen.add((message.to, message.body))
        n += 1
    return booked[:n], booked[n:]


_MARK_SENDING = """
UPDATE followup_outboundmessage
SET status = 'sending', attempts = attempts + 1, status_updated_at = %(now)s
WHERE id = ANY(%(ids)s::bigint[]) AND status = 'queued'
RETURNING id, attempts
"""


def _mark_sending(messages: list[OutboundMessage]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENDING, {"now": timezone.now(), "ids": [m.pk for m in messages]})
        attempts = dict(cursor.fetchall())
    for message in messages:
        message.attempts = attempts.get(message.pk, message.attempts)
    return set(attempts)


def _rebook(
    chunk: list[tuple[OutboundMessage, dt.datetime]],
    rest: list[tuple[OutboundMessage, dt.datetime]],
    deadline: float,
) -> tuple[list[tuple[OutboundMessage, dt.datetime]], list[tuple[OutboundMessage, dt.datetime]]]:
    now = timezone.now()
    max_wait = max(THROTTLE_MAX_WAIT, dt.timedelta(seconds=deadline - time.monotonic()))
    messages = [m for m, _ in chunk + rest]
    starts = throttle.reserve_many(sender_key(), [m.body for m in messages], now, max_wait)
    unfit = messages[len(starts) :]
    if unfit:
        # Those of this chunk were marked sending: put back untouched, not an attempt.
        marked = {m.pk for m, _ in chunk}
        OutboundMessage.objects.filter(
            id__in=[m.pk for m in unfit if m.pk in marked], status=OutboundMessage.Status.SENDING
        ).update(status=OutboundMessage.Status.QUEUED, attempts=F("attempts") - 1)
        leave_queued(unfit, now)
    booked = list(zip(messages, starts, strict=False))
    return booked[: len(chunk)], booked[len(chunk) :]


def leave_queued(messages: list[OutboundMessage], now: dt.datetime) -> None:
    """Written texts that found no slot in the pace: left for a later pass to send."""
    OutboundMessage.objects.filter(id__in=[m.pk for m in messages]).update(
        next_attempt_at=now + THROTTLE_MAX_WAIT
    )


def _try_hand_over(message: OutboundMessage, gateway: Gateway) -> Receipt | None:
    try:
        return _hand_over(message, gateway)
    except TransportError as exc:
        _record_failure(message, exc)
        return None
    except Exception as exc:
        # A fault on our side, not an answer from Twilio: where it struck is unknown, so Twilio
        # may have the message, and it is looked up before any resend, as after a timeout.
        _record_failure(message, TransportError(describe(exc), permanent=False, uncertain=True))
        raise


def _record_chunk(accepted: list[tuple[OutboundMessage, Receipt]], run: Pass) -> int:
    try:
        record_acceptances(accepted)
    except Exception as exc:
        # Left "sending" with no SID: settled by a lookup, like a send whose answer was lost.
        run.fail(f"recording {len(accepted)} sends", exc)
        return 0
    return len(accepted)


_ACCEPTED = """
UPDATE followup_outboundmessage AS message
SET twilio_sid = accepted.sid, status = 'accepted', sent_at = %(now)s,
    status_updated_at = %(now)s, next_attempt_at = NULL
FROM unnest(%(ids)s::bigint[], %(sids)s::text[]) AS accepted(id, sid)
WHERE message.id = accepted.id
"""


def record_acceptances(accepted: list[tuple[OutboundMessage, Receipt]]) -> None:
    """_record_acceptance for many messages: two statements and one commit for them all."""
    now = timezone.now()
    messages = [message for message, _ in accepted]
    # Both or neither, as for one message.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _ACCEPTED,
            {
                "now": now,
                "ids": [m.pk for m in messages],
                "sids": [receipt.sid for _, receipt in accepted],
            },
        )
        checkins.mark_sent_many(messages, now)
    for message in messages:
        metrics.outbound_status(message.kind, OutboundMessage.Status.ACCEPTED)


def due_again(now: dt.datetime) -> QuerySet[OutboundMessage]:
    """Queued messages to send now: retries whose time has come, and those whose task was lost."""
    return OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at=None, created_at__lte=now - STRAY_AFTER)
    )


def _wait_for_slot(message: OutboundMessage, max_wait: dt.timedelta) -> bool:
    now = timezone.now()
    # Pages jump the line: they count against the pace but never wait for it.
    urgent = message.kind == OutboundMessage.Kind.PAGE
    if urgent:
        max_wait = dt.timedelta(days=1)
    start = throttle.reserve(sender_key(), message.body, now, max_wait)
    if start is None:
        # Put back untouched: this was not an attempt, only a place in the line.
        OutboundMessage.objects.filter(id=message.pk).update(
            status=OutboundMessage.Status.QUEUED,
            attempts=F("attempts") - 1,
            next_attempt_at=now + THROTTLE_MAX_WAIT,
        )
        return False
    if not urgent and start > now:
        time.sleep((start - now).total_seconds())
    return True


def _hand_over(message: OutboundMessage, gateway: Gateway) -> Receipt:
    if message.channel == Channel.SMS:
        return gateway.send_sms(message.to, message.body, status_callback=status_callback_url())
    if message.kind == OutboundMessage.Kind.PAGE:
        url = twilio_url(reverse("twilio-voice-page", args=[message.pk]))
        return gateway.make_call(message.to, url)
    # A patient's check-in call: a voicemail must never hear health questions.
    return gateway.make_call(
        message.to,
        twilio_url(reverse("ivr-start", args=[message.pk])),
        status_callback=twilio_url(reverse("ivr-status")),
        machine_detection=True,
    )


def _record_acceptance(message: OutboundMessage, receipt: Receipt) -> None:
    now = timezone.now()
    # Both or neither: a worker killed in between would leave an accepted question whose
    # check-in never waits for its answer. Neither leaves the send uncertain, and it is settled.
    with transaction.atomic():
        OutboundMessage.objects.filter(id=message.pk).update(
            twilio_sid=receipt.sid,
            status=OutboundMessage.Status.ACCEPTED,
            sent_at=now,
            status_updated_at=now,
            next_attempt_at=None,
        )
        checkins.mark_sent(message, now)
    metrics.outbound_status(message.kind, OutboundMessage.Status.ACCEPTED)
    if message.kind == OutboundMessage.Kind.PAGE:
        metrics.page_sent(message.channel)


def backoff(attempts: int) -> dt.timedelta:
    """Exponential, capped, with jitter so that many failed sends do not retry in step."""
    doublings: int = 2 ** max(attempts - 1, 0)
    delay = min(BACKOFF_CAP, BACKOFF_BASE * doublings)
    return delay * random.uniform(0.5, 1.5)  # noqa: S311 (jitter, not security)


def _record_failure(message: OutboundMessage, exc: TransportError) -> None:
    log.warning(
        "%s %s to %s failed (code %s, permanent=%s, uncertain=%s)",
        message.channel,
        message.pk,
        mask(message.to),
        exc.code,
        exc.permanent,
        exc.uncertain,
    )
    now = timezone.now()
    next_attempt = None
    if exc.uncertain:
        # Twilio may have it: it stays "sending" until a lookup settles it.
        status = OutboundMessage.Status.SENDING
    elif exc.permanent or message.attempts >= MAX_ATTEMPTS:
        status = OutboundMessage.Status.FAILED
    else:
        status = OutboundMessage.Status.QUEUED
        next_attempt = now + backoff(message.attempts)
    OutboundMessage.objects.filter(id=message.pk).update(
        status=status,
        error_code=exc.code,
        error_message=exc.message[:500],
        status_updated_at=now,
        next_attempt_at=next_attempt,
    )
    metrics.outbound_status(message.kind, status)
    if status == OutboundMessage.Status.FAILED and message.checkin_id is not None:
        checkins.send_failed(message.checkin_id, now)
    if message.patient is not None and exc.code in NUMBER_FAILURES:
        record_failed_number(message.patient, exc.code)


def settle_uncertain(now: dt.datetime, run: Pass, gateway: Gateway | None = None) -> int:
    """Look up sends whose outcome is unknown: adopt Twilio's record, or free them for a resend.

    Those that cannot be looked up stay "sending", and those Twilio's records cannot decide
    become "unsettled"; both show to staff on the dashboard.
    """
    unsettled = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.SENDING,
        twilio_sid=None,
        channel=Channel.SMS,
        status_updated_at__lte=now - SETTLE_AFTER,
    ).order_by("status_updated_at")
    gateway = gateway or get_gateway()
    settled = 0
    for message in list(unsettled[:50]):
        with run.item(f"settling message {message.pk}", functools.partial(_unsettled, message)):
            settled += _settle(message, gateway, now)
    return settled


def _settle(message: OutboundMessage, gateway: Gateway, now: dt.datetime) -> int:
    try:
        found = gateway.find_sms(message.to, message.body, since=message.created_at - CLOCK_SKEW)
    except TransportError:
        return 0
    # A record one of our rows already holds is that row's send, however alike the two texts.
    held = set(
        OutboundMessage.objects.filter(twilio_sid__in=[r.sid for r in found]).values_list(
            "twilio_sid", flat=True
        )
    )
    candidates = [receipt for receipt in found if receipt.sid not in held]
    still = OutboundMessage.objects.filter(
        pk=message.pk,
        status=OutboundMessage.Status.SENDING,
        status_updated_at=message.status_updated_at,
    )
    if len(candidates) == 1:
        if still.exists():
            try:
                with transaction.atomic():
                    _record_acceptance(message, candidates[0])
            except IntegrityError:
                # Another uncertain send took this record meanwhile: look again next pass.
                return 0
    elif candidates:
        # Adopting one could take another send's record, and resending could text the patient
        # twice: staff decide.
        if still.update(
            status=OutboundMessage.Status.UNSETTLED,
            error_message=(
                f"Twilio has {len(candidates)} texts with these words to this number since this "
                "one was written; which one is this cannot be told, so it was neither matched "
                "nor resent. Check with the patient that it arrived."
            ),
            status_updated_at=timezone.now(),
        ):
            metrics.outbound_status(message.kind, OutboundMessage.Status.UNSETTLED)
    elif message.attempts >= MAX_ATTEMPTS:
        if still.exists():
            failure = f"not sent after {message.attempts} attempts: {message.error_message}"
            _record_failure(
                message, TransportError(failure, permanent=True, code=message.error_code)
            )
    else:
        # Twilio has no such message: resending cannot make a duplicate.
        still.update(status=OutboundMessage.Status.QUEUED, next_attempt_at=now)
    return 1


def _unsettled(message: OutboundMessage, exc: Exception) -> None:
    # Looked up again every pass, it would fail every pass: staff see it instead.
    if OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundMessage.Status.SENDING, twilio_sid=None
    ).update(
        status=OutboundMessage.Status.UNSETTLED,
        error_message=f"Looking it up on Twilio failed ({describe(exc)}): check with the patient.",
        status_updated_at=timezone.now(),
    ):
        metrics.outbound_status(message.kind, OutboundMessage.Status.UNSETTLED)
