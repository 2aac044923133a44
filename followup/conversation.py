"""The worker side of a message in: record the answer, escalate, ask the next question.

Messages arrive through followup.inbound, which stores them; the stored row is the work item.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

import triage
from followup import checkins, escalation, queues
from followup.health import Pass, describe, recorded_pass
from followup.models import Answer, Channel, InboundMessage, Patient, Question, Severity
from followup.sending import backoff, send_message

log = logging.getLogger(__name__)

# Processing that fails is tried again, up to this many attempts in all; then the message shows
# to staff with the reason (dashboard.messages_needing_review).
PROCESSING_ATTEMPTS = 5
# A claimed message is left this long to the worker that claimed it before another may take it:
# a worker that died mid-processing loses its claim this way, and the message is processed again.
PROCESSING_IN_FLIGHT = dt.timedelta(seconds=90)

# The stored row is the work item: the webhook writes no task, and a worker claims the rows that
# wait (run_pages, woken by the insert's NOTIFY; the ladder task's sweep). Red flags first: a
# triage that failed (no assessment) may have missed one, so it counts as one too.
_RED_FLAG = Q(assessment__isnull=True) | Q(assessment__severity__in=sorted(queues.RED_FLAGS))


def _waiting(now: dt.datetime) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(
        processed_at=None, processing_attempts__lt=PROCESSING_ATTEMPTS
    ).filter(Q(processing_retry_at=None) | Q(processing_retry_at__lte=now))


def claim_next(now: dt.datetime | None = None) -> int | None:
    """Claim the next message waiting to be processed, red flags first; its id, or None.

    The claim counts an attempt and holds the message for PROCESSING_IN_FLIGHT: workers that
    claim at once skip each other's locked rows, and one that claims later finds it not due.
    """
    now = now or timezone.now()
    first = Case(When(_RED_FLAG, then=Value(0)), default=Value(1))
    with transaction.atomic():
        message_id = (
            _waiting(now)
            .order_by(first, "received_at")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
            .first()
        )
        if message_id is None:
            return None
        InboundMessage.objects.filter(pk=message_id).update(
            processing_attempts=F("processing_attempts") + 1,
            processing_retry_at=now + PROCESSING_IN_FLIGHT,
        )
    return message_id


def process_waiting(
    now: dt.datetime | None = None,
    seconds: float | None = None,
    limit: int = 200,
    run: Pass | None = None,
) -> Pass:
    """Claim and process waiting messages until none wait, `limit` are done or `seconds` pass.

    A failure is counted on the message (retried after a backoff) and never stops the rest.
    """
    run = run or Pass("inbound")
    deadline = None if seconds is None else time.monotonic() + seconds
    for _ in range(limit):
        message_id = claim_next(now)
        if message_id is None:
            break
        with run.item(f"inbound message {message_id}"):
            _process_claimed(message_id)
        if deadline is not None and time.monotonic() >= deadline:
            break
    return run


def retry_unprocessed(now: dt.datetime | None = None) -> int:
    """The sweep, recorded for /healthz: the messages no loop took (a worker that died, a
    failure whose backoff ran out, run_pages not running); returns how many were processed."""
    with recorded_pass("inbound") as run:
        return process_waiting(now, run=run).ok


def process_inbound(message_id: int) -> None:
    """Record the answer, open or update an escalation, and ask the next question.

    Each call counts as an attempt; one that fails says why on the message and raises, and a
    worker tries again after a backoff. Processing twice is harmless: the message is locked and
    processed once.
    """
    now = timezone.now()
    counted = InboundMessage.objects.filter(pk=message_id, processed_at=None).update(
        processing_attempts=F("processing_attempts") + 1,
        processing_retry_at=now + PROCESSING_IN_FLIGHT,
    )
    if counted:
        _process_claimed(message_id)


def _process_claimed(message_id: int) -> None:
    try:
        _process(message_id)
    except Exception as exc:
        _record_processing_failure(message_id, exc)
        raise


def _record_processing_failure(message_id: int, exc: Exception) -> None:
    message = InboundMessage.objects.get(pk=message_id)
    if message.processed_at is not None:
        # Only asking the next question failed: that message is retried as a send.
        return
    InboundMessage.objects.filter(pk=message_id, processed_at=None).update(
        processing_error=describe(exc),
        processing_retry_at=timezone.now() + backoff(message.processing_attempts),
    )
    if message.processing_attempts >= PROCESSING_ATTEMPTS:
        log.error(
            "inbound %s: processing failed %d times, left to staff",
            message_id,
            message.processing_attempts,
        )


def _process(message_id: int) -> None:
    next_message = None
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("patient__care_team", "checkin__enrollment__patient")
            .get(id=message_id)
        )
        if message.processed_at is not None:
            return
        message.processed_at = timezone.now()
        message.save(update_fields=["processed_at"])
        patient = message.patient
        if patient is None or message.assessment is None or message.keyword:
            # Unmatched senders and failed triage go to staff from the dashboard; keywords
            # were handled when they arrived.
            return
        answer = _record_answer(message, patient)
        if answer.severity >= Severity.URGENT or answer.needs_review:
            escalation.record_report(patient, answer, message)
        if message.channel == Channel.SMS and message.checkin_id is not None:
            # On a call the IVR itself moves from question to question.
            understood = triage.answers_question(
                answer.question,
                message.body,
                answer.findings,
                answer.needs_review,
                answer.pain_score,
            )
            next_message = checkins.advance(
                message.checkin_id, message.question, answer, understood
            )
    if next_message is not None:
        send_message(next_message.pk)


def _record_answer(message: InboundMessage, patient: Patient) -> Answer:
    assessment = message.assessment or {}
    return Answer.objects.create(
        patient=patient,
        checkin=message.checkin,
        message=message,
        question=message.question or Question.GENERAL,
        findings=assessment.get("findings", []),
        severity=Severity[assessment.get("severity", "none").upper()],
        needs_review=assessment.get("needs_review", False),
        pain_score=assessment.get("pain_score"),
        evidence=assessment.get("evidence", {}),
    )
