"""The worker side of a message in: record the answer, escalate, ask the next question.

Messages arrive through followup.inbound, which stores them and queues process_inbound.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import triage
from followup import checkins, escalation
from followup.health import describe, recorded_pass
from followup.models import Answer, Channel, InboundMessage, Patient, Question, Severity
from followup.sending import backoff, send_message

log = logging.getLogger(__name__)

# Processing that fails is tried again by the sweep, up to this many attempts in all; then the
# message shows to staff with the reason (dashboard.messages_needing_review).
PROCESSING_ATTEMPTS = 5
# The sweep leaves a new message this long to the task queued when it arrived, and an attempt
# under way this long to finish (a task is stopped after Q_CLUSTER's 60 s timeout).
PROCESSING_GRACE = dt.timedelta(seconds=30)
PROCESSING_IN_FLIGHT = dt.timedelta(seconds=90)


def retry_unprocessed(now: dt.datetime | None = None) -> int:
    """One pass: process again the messages whose task failed or never ran; returns how many."""
    now = now or timezone.now()
    due = (
        InboundMessage.objects.filter(
            processed_at=None, processing_attempts__lt=PROCESSING_ATTEMPTS
        )
        .filter(
            Q(processing_retry_at__lte=now)
            | Q(processing_retry_at=None, received_at__lte=now - PROCESSING_GRACE)
        )
        .order_by("received_at")
    )
    with recorded_pass("inbound") as run:
        for message_id in list(due.values_list("id", flat=True)[:200]):
            with run.item(f"inbound message {message_id}"):
                process_inbound(message_id)
        return run.ok


def process_inbound(message_id: int) -> None:
    """Record the answer, open or update an escalation, and ask the next question.

    Each call counts as an attempt; one that fails says why on the message and raises, and the
    sweep (retry_unprocessed) tries again later. Processing twice is harmless: the message is
    locked and processed once.
    """
    now = timezone.now()
    counted = InboundMessage.objects.filter(pk=message_id, processed_at=None).update(
        processing_attempts=F("processing_attempts") + 1,
        processing_retry_at=now + PROCESSING_IN_FLIGHT,
    )
    if not counted:
        return
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
