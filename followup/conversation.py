"""Inbound texts: store each once, match the sender, triage at once, then advance the check-in."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

import triage
from followup import consent, escalation
from followup.dispatch import queue_question
from followup.health import describe, recorded_pass
from followup.models import (
    Answer,
    Channel,
    CheckIn,
    Enrollment,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Patient,
    Question,
    Severity,
    User,
)
from followup.paging import paged_escalation
from followup.sending import backoff, send_message
from followup.twilio_params import Params, media_urls
from followup.wording import render_message, render_safety_reply, safety_kind
from triage.checklist import evaluate_checklist

log = logging.getLogger(__name__)

# A reply this long after its question still answers it; later ones are unsolicited.
ANSWER_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool
    reply: str


def receive_sms(params: Params) -> Received:
    """Store an inbound SMS once per MessageSid and compose the immediate safety reply.

    Everything Twilio signed is stored, even without a sender or with values the parser cannot
    read: what cannot be understood goes to staff, never away.
    """
    sid = params.get("MessageSid")
    sender_number = params.get("From").strip()
    existing = InboundMessage.objects.filter(message_sid=sid).first()
    if existing is not None:
        return Received(existing, duplicate=True, reply=_stored_reply(existing))

    body = params.get("Body")
    paged = paged_escalation(sender_number) if sender_number else None
    if paged is not None:
        return _acknowledge_page(sid, params, *paged)
    sender, patient = match_sender(sender_number)
    checkin = open_checkin(patient) if patient else None
    question = (checkin.current_question if checkin else None) or Question.GENERAL
    assessment = triage_reply(body, question, patient, checkin)
    keyword = None
    if sender == InboundMessage.Sender.PATIENT and patient is not None:
        keyword = consent.classify(
            body, params.get("OptOutType"), opted_out=patient.sms_opted_out_at is not None
        )
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_sid=sid,
                from_number=sender_number,
                to_number=params.get("To"),
                body=body,
                media_urls=media_urls(params),
                originals=params.originals_json(),
                sender=sender,
                patient=patient,
                checkin=checkin,
                question=question,
                keyword=keyword[0].value if keyword else "",
                assessment=assessment.to_dict() if assessment else None,
            )
            reply, kind = _safety_reply(message, assessment), OutboundMessage.Kind.SAFETY
            if keyword is not None and patient is not None:
                keyword_reply = consent.apply_keyword(patient, *keyword)
                if not reply:
                    reply, kind = keyword_reply, OutboundMessage.Kind.KEYWORD
            if reply:
                OutboundMessage.objects.create(
                    patient=patient,
                    # A record of the TwiML answer; the full sender stays on the inbound row.
                    to=sender_number[: OutboundMessage._meta.get_field("to").max_length],
                    body=reply,
                    kind=kind,
                    in_reply_to=message,
                    status=OutboundMessage.Status.REPLIED,
                    sent_at=timezone.now(),
                )
            transaction.on_commit(lambda: queue_processing(message.pk))
    except IntegrityError:
        # Twilio's retry raced the first delivery; the first one stored it.
        existing = InboundMessage.objects.get(message_sid=sid)
        return Received(existing, duplicate=True, reply=_stored_reply(existing))
    return Received(message, duplicate=False, reply=reply)


def _acknowledge_page(sid: str, params: Params, clinician: User, paged: Escalation) -> Received:
    """A paged clinician's reply to the page acknowledges the escalation, whatever it says."""
    now = timezone.now()
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_sid=sid,
                from_number=params.get("From"),
                to_number=params.get("To"),
                body=params.get("Body"),
                originals=params.originals_json(),
                sender=InboundMessage.Sender.STAFF,
                processed_at=now,
                reviewed_at=now,
                reviewed_by=clinician,
            )
            escalation.acknowledge(paged.pk, clinician)
    except IntegrityError:
        existing = InboundMessage.objects.get(message_sid=sid)
        return Received(existing, duplicate=True, reply="")
    patient = paged.patient
    reply = render_message(
        "page_acknowledged_sms",
        "en",
        clinician=clinician,
        initials=patient.initials,
        mrn_last4=patient.mrn_last4,
        callback=patient.phone,
    )
    return Received(message, duplicate=False, reply=reply)


def match_sender(number: str) -> tuple[str, Patient | None]:
    """Who wrote: exactly one patient (or their caregiver), else unknown or ambiguous."""
    if not number:
        # Blank would match every patient without a caregiver's number.
        return InboundMessage.Sender.UNKNOWN, None
    matches = list(
        Patient.objects.filter(Q(phone=number) | Q(caregiver_phone=number)).select_related(
            "care_team"
        )[:2]
    )
    if not matches:
        return InboundMessage.Sender.UNKNOWN, None
    if len(matches) > 1:
        # Never guess between two patients: staff sort it out.
        return InboundMessage.Sender.AMBIGUOUS, None
    patient = matches[0]
    if patient.phone == number:
        return InboundMessage.Sender.PATIENT, patient
    return InboundMessage.Sender.CAREGIVER, patient


def open_checkin(patient: Patient) -> CheckIn | None:
    """The check-in waiting for this patient's answer, if one was asked recently."""
    return (
        CheckIn.objects.filter(
            enrollment__patient=patient,
            status=CheckIn.Status.AWAITING,
            sent_at__gte=timezone.now() - ANSWER_WINDOW,
        )
        .order_by("-sent_at")
        .first()
    )


def triage_reply(
    body: str,
    question: str,
    patient: Patient | None,
    checkin: CheckIn | None,
    channel: str = "sms",
) -> triage.Assessment | None:
    """Triage a reply with the patient's history; None when triage fails (a nurse reviews)."""
    try:
        if patient is None:
            return triage.evaluate(body, question=question, lang="en", channel=channel)
        config = patient.care_team.triage_config()
        if question == Question.CHECKLIST and checkin is not None:
            assessment = evaluate_checklist(
                body, checkin.step.checklist_items, patient.language, channel, config
            )
        else:
            assessment = triage.evaluate(
                body, question=question, lang=patient.language, channel=channel, config=config
            )
        return triage.apply_history(assessment, prior_answers(patient, checkin), config)
    except Exception:
        # A triage failure must not lose the message: it is stored and shown for review.
        log.exception("triage failed for an inbound message")
        return None


def prior_answers(
    patient: Patient, current: CheckIn | None = None, limit: int = 30
) -> list[triage.PriorAnswer]:
    """The patient's answers before the current check-in, one PriorAnswer per check-in."""
    answers = Answer.objects.filter(patient=patient)
    if current is not None:
        answers = answers.exclude(checkin=current)
    grouped: dict[object, list[Answer]] = {}
    for answer in answers.order_by("-created_at")[:limit]:
        key = answer.checkin_id or f"message-{answer.message_id}"
        grouped.setdefault(key, []).append(answer)
    priors = []
    for answers in grouped.values():
        scores = [a.pain_score for a in sorted(answers, key=lambda a: a.created_at)]
        known = [score for score in scores if score is not None]
        priors.append(
            triage.PriorAnswer(
                findings=tuple(dict.fromkeys(code for a in answers for code in a.findings)),
                pain_score=known[-1] if known else None,
                when=max(a.created_at for a in answers),
            )
        )
    return priors


def _safety_reply(message: InboundMessage, assessment: triage.Assessment | None) -> str:
    if assessment is None or assessment.severity < triage.Severity.URGENT:
        return ""
    patient = message.patient
    if patient is None:
        # We cannot know the sender's language: the template says it in English and Spanish.
        return render_message("safety_unknown_sender", "en")
    team = patient.care_team
    kind = safety_kind(team, assessment.severity, message.received_at)
    return render_safety_reply(team, kind, patient.language) if kind else ""


def _stored_reply(message: InboundMessage) -> str:
    reply = message.replies.filter(
        kind__in=[OutboundMessage.Kind.SAFETY, OutboundMessage.Kind.KEYWORD]
    ).first()
    return reply.body if reply else ""


def queue_processing(message_id: int) -> None:
    from django_q.tasks import async_task

    async_task("followup.tasks.process_inbound", message_id, task_name=f"inbound-{message_id}")


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
        if message.patient is None or message.assessment is None or message.keyword:
            # Unmatched senders and failed triage go to staff from the dashboard; keywords
            # were handled when they arrived.
            return
        answer = _record_answer(message)
        if answer.severity >= Severity.URGENT or answer.needs_review:
            escalation.record_report(message.patient, answer, message)
        if message.channel == Channel.SMS:
            # On a call the IVR itself moves from question to question.
            next_message = _advance(message, answer)
    if next_message is not None:
        send_message(next_message.pk)


def _record_answer(message: InboundMessage) -> Answer:
    assessment = message.assessment or {}
    return Answer.objects.create(
        patient=message.patient,
        checkin=message.checkin,
        message=message,
        question=message.question or Question.GENERAL,
        findings=assessment.get("findings", []),
        severity=Severity[assessment.get("severity", "none").upper()],
        needs_review=assessment.get("needs_review", False),
        pain_score=assessment.get("pain_score"),
        evidence=assessment.get("evidence", {}),
    )


def _advance(message: InboundMessage, answer: Answer) -> OutboundMessage | None:
    checkin = message.checkin
    if checkin is None:
        return None
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.AWAITING or checkin.current_question != message.question:
        # A second reply to a question already answered: stored and triaged, nothing to ask.
        return None
    now = timezone.now()
    if answer.severity >= Severity.EMERGENCY:
        # The patient has been told to seek care now; more questions would only delay them.
        _close(checkin, CheckIn.Status.ESCALATED, now)
        return None
    patient = checkin.enrollment.patient
    if not understood(answer, message.body) and not checkin.reasked:
        checkin.reasked = True
        checkin.save(update_fields=["reasked"])
        return queue_question(checkin, intro=render_message("reask_intro", patient.language))
    checkin.question_index += 1
    checkin.reasked = False
    if checkin.current_question is not None:
        checkin.save(update_fields=["question_index", "reasked"])
        return queue_question(checkin)
    _close(checkin, CheckIn.Status.COMPLETED, now)
    return closing_message(checkin)


def _close(checkin: CheckIn, status: str, now: dt.datetime) -> None:
    checkin.status = status
    checkin.closed_at = now
    checkin.save()


# Words that answer a yes/no question even when they carry no finding.
YES_NO_WORDS = frozenset(
    {"no", "nope", "nah", "none", "never", "not", "nothing", "negative", "fine", "good", "ok"}
    | {"okay", "yes", "yeah", "yep", "y", "n", "si", "sí", "nada", "ninguno", "ninguna"}
    | {"ningún", "tampoco", "bien", "1", "2"}
)


def understood(answer: Answer, body: str) -> bool:
    """Whether a reply answers its question; one that does not gets one clarifying re-ask."""
    if answer.findings or answer.needs_review:
        return True
    if answer.question == Question.PAIN:
        return answer.pain_score is not None
    if answer.question == Question.CHECKLIST:
        return (
            answer.pain_score is not None
            or bool(re.search(r"\b0\b", body))
            or bool(set(re.findall(r"\w+", body.lower())) & YES_NO_WORDS)
        )
    if answer.question == Question.GENERAL:
        return bool(body.strip())
    return bool(set(re.findall(r"\w+", body.lower())) & YES_NO_WORDS)


def closing_message(checkin: CheckIn, thank: bool = True) -> OutboundMessage | None:
    """Thanks after a check-in; after the last one, the follow-up's closing message."""
    enrollment = checkin.enrollment
    patient = enrollment.patient
    open_statuses = [CheckIn.Status.PENDING, CheckIn.Status.SENDING, CheckIn.Status.AWAITING]
    last = not enrollment.checkins.filter(status__in=open_statuses).exists()
    if last and enrollment.status == Enrollment.Status.ACTIVE:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.save(update_fields=["status"])
    if not patient.can_text or not (last or thank):
        return None
    team = patient.care_team
    return OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        body=render_message(
            "followup_complete" if last else "closing",
            patient.language,
            clinic_phone=team.clinic_phone,
            team=team.name,
        ),
        kind=OutboundMessage.Kind.CLOSING,
        checkin=checkin,
    )
