"""Messages in, by text or on a call: match the sender, triage at once, store once.

Texts and spoken answers take the same steps side by side; the worker side (recording the
answer, escalating, asking the next question) is in followup.conversation.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

import triage
from followup import checkins, consent, escalation, metrics, prepared
from followup.models import (
    Answer,
    CareTeam,
    Channel,
    CheckIn,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Patient,
    Question,
    SafetyWording,
    User,
)
from followup.paging import paged_escalation
from followup.twilio_params import Params, media_urls, storable
from followup.wording import render_message, render_safety_reply, safety_kind
from triage.checklist import evaluate_checklist

log = logging.getLogger(__name__)

# Speech recognised with less confidence than this goes to a nurse.
LOW_CONFIDENCE = 0.5

T = TypeVar("T")


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool
    reply: str


def store_once(
    fields: dict[str, Any], then: Callable[[InboundMessage], T] | None = None
) -> tuple[InboundMessage, T | None] | None:
    """Store one inbound message under its Twilio id; the stored row is its processing's work item.

    No task is queued: a worker claims the row (conversation.claim_next), woken by the NOTIFY
    the insert fires (migration 0024), so the webhook pays for one INSERT and nothing more.
    `then` runs in the same transaction (a reply, an acknowledgement). None when Twilio's
    retry raced the first delivery: the first one stored it, and nothing here happened.
    """
    try:
        if then is None and not transaction.get_connection().in_atomic_block:
            # One INSERT commits on its own: no BEGIN and COMMIT to wait for around it.
            return InboundMessage.objects.create(**fields), None
        with transaction.atomic():
            message = InboundMessage.objects.create(**fields)
            return message, then(message) if then is not None else None
    except IntegrityError:
        return None


# Texts


def receive_sms(
    params: Params, received_at: dt.datetime | None = None, answered: str | None = None
) -> Received:
    """Store an inbound SMS once per MessageSid and compose the immediate safety reply.

    Everything Twilio signed is stored, even without a sender or with values the parser cannot
    read: what cannot be understood goes to staff, never away.

    A message replayed from the spool (followup.replay) keeps its receive time, and `answered`
    is what the webhook already replied then: that is recorded, and nothing else composed.
    """
    sid = params.get("MessageSid")
    sender_number = params.get("From").strip()
    body = params.get("Body")
    match = match_sender(sender_number)
    # A clinician's number answers a page: asked only of staff numbers, or of numbers no patient
    # has (the page lookup is then one probe of an index of pages by number).
    if match.staff or (sender_number and match.sender == InboundMessage.Sender.UNKNOWN):
        paged = paged_escalation(sender_number)
        if paged is not None:
            return _acknowledge_page(sid, params, *paged)
    sender, patient, checkin = match.sender, match.patient, match.checkin
    question = (checkin.current_question if checkin else None) or Question.GENERAL
    assessment = triage_reply(body, question, patient, checkin, sender=sender)
    keyword = None
    if sender == InboundMessage.Sender.PATIENT and patient is not None:
        keyword = consent.classify(
            body, params.get("OptOutType"), opted_out=patient.sms_opted_out_at is not None
        )

    received = received_at or timezone.now()
    safety = _safety_reply(patient, assessment, received) if answered is None else answered

    def reply(message: InboundMessage) -> str:
        text, kind = safety, OutboundMessage.Kind.SAFETY
        if keyword is not None and patient is not None:
            keyword_reply = consent.apply_keyword(patient, *keyword)
            if not text and answered is None:
                text, kind = keyword_reply, OutboundMessage.Kind.KEYWORD
        if text:
            OutboundMessage.objects.create(
                patient=patient,
                # A record of the TwiML answer; the full sender stays on the inbound row.
                to=sender_number[: OutboundMessage._meta.get_field("to").max_length],
                body=text,
                kind=kind,
                in_reply_to=message,
                status=OutboundMessage.Status.REPLIED,
                sent_at=received,
            )
        return text

    # Nothing to answer and no keyword to apply: the inbound row is all there is to write.
    writes_more = bool(safety) or (keyword is not None and patient is not None)
    stored = store_once(
        {
            "received_at": received,
            "message_sid": sid,
            "from_number": sender_number,
            "to_number": params.get("To"),
            "body": body,
            "media_urls": media_urls(params),
            "originals": params.originals_json(),
            "sender": sender,
            "patient": patient,
            "checkin": checkin,
            "question": question,
            "keyword": keyword[0].value if keyword else "",
            "assessment": assessment.to_dict() if assessment else None,
        },
        then=reply if writes_more else None,
    )
    if stored is None:
        # Twilio's retry: the unique MessageSid refused the second row, nothing else was kept.
        return _duplicate(sid)
    message, text = stored
    return Received(message, duplicate=False, reply=text or "")


def _duplicate(sid: str) -> Received:
    """A message already stored under its id: Twilio's retry gets the same reply again."""
    replies = OutboundMessage.objects.filter(
        in_reply_to=OuterRef("pk"),
        kind__in=[OutboundMessage.Kind.SAFETY, OutboundMessage.Kind.KEYWORD],
    ).order_by("created_at")
    message = (
        InboundMessage.objects.filter(message_sid=sid)
        .annotate(reply=Subquery(replies.values("body")[:1]))
        .get()
    )
    reply: str | None = getattr(message, "reply", None)
    return Received(message, duplicate=True, reply=reply or "")


def _acknowledge_page(sid: str, params: Params, clinician: User, paged: Escalation) -> Received:
    """A paged clinician's reply to the page acknowledges the escalation, whatever it says."""
    now = timezone.now()
    stored = store_once(
        {
            "message_sid": sid,
            "from_number": params.get("From"),
            "to_number": params.get("To"),
            "body": params.get("Body"),
            "originals": params.originals_json(),
            "sender": InboundMessage.Sender.STAFF,
            "processed_at": now,
            "reviewed_at": now,
            "reviewed_by": clinician,
        },
        then=lambda message: escalation.acknowledge(paged.pk, clinician),
    )
    if stored is None:
        return Received(InboundMessage.objects.get(message_sid=sid), duplicate=True, reply="")
    patient = paged.patient
    reply = render_message(
        "page_acknowledged_sms",
        "en",
        clinician=clinician,
        initials=patient.initials,
        mrn_last4=patient.mrn_last4,
        callback=patient.phone,
    )
    return Received(stored[0], duplicate=False, reply=reply)


@dataclass(frozen=True)
class Match:
    """Who wrote from a number, the check-in awaiting their answer, and whether staff use it."""

    sender: str
    patient: Patient | None = None
    checkin: CheckIn | None = None
    staff: bool = False


def match_sender(number: str) -> Match:
    """Who wrote: exactly one patient (or their caregiver), else unknown or ambiguous.

    One query: the patients with this number (two at most), each with the check-in awaiting
    their answer (checkins.awaited_column) and whether a staff member has the number too.
    """
    if not number:
        # Blank would match every patient without a caregiver's number.
        return Match(InboundMessage.Sender.UNKNOWN)
    rows = _SENDERS.rows(number=number, since=timezone.now() - checkins.ANSWER_WINDOW)
    if not rows:
        return Match(InboundMessage.Sender.UNKNOWN)
    staff = bool(rows[0][-1])
    if len(rows) > 1:
        # Never guess between two patients: staff sort it out.
        return Match(InboundMessage.Sender.AMBIGUOUS, staff=staff)
    row = rows[0]
    patient = prepared.instance(Patient, row[:_PATIENT_COLUMNS])
    team = prepared.instance(CareTeam, row[_PATIENT_COLUMNS:-2])
    Patient.care_team.field.set_cached_value(patient, team)
    checkin = checkins.awaited_checkin(row[-2])
    if patient.phone == number:
        return Match(InboundMessage.Sender.PATIENT, patient, checkin, staff)
    return Match(InboundMessage.Sender.CAREGIVER, patient, checkin, staff)


_PATIENT_COLUMNS = len(prepared.columns(Patient))


def _senders(number: str, since: dt.datetime) -> QuerySet[Patient, tuple[Any, ...]]:
    team = [f"care_team__{name}" for name in prepared.columns(CareTeam)]
    return (
        Patient.objects.filter(Q(phone=number) | Q(caregiver_phone=number))
        .annotate(
            awaited=checkins.awaited_column(since),
            staff_number=Exists(User.objects.filter(phone=number)),
        )
        .values_list(*prepared.columns(Patient), *team, "awaited", "staff_number")[:2]
    )


# Compiled once per process: the ORM's compilation of this query cost more than running it.
_SENDERS = prepared.Prepared(_senders, strings=["number"], datetimes=["since"])


def _safety_reply(
    patient: Patient | None, assessment: triage.Assessment | None, received_at: dt.datetime
) -> str:
    if assessment is None or assessment.severity < triage.Severity.URGENT:
        return ""
    if patient is None:
        # We cannot know the sender's language: the template says it in English and Spanish.
        return render_message("safety_unknown_sender", "en")
    team = patient.care_team
    kind = safety_kind(team, assessment.severity, received_at)
    return render_safety_reply(team, kind, patient.language) if kind else ""


# Answers on a call


def answer_by_voice(
    call: OutboundMessage,
    patient: Patient,
    checkin: CheckIn,
    code: str,
    text: str,
    confidence: float | None,
    params: Params,
) -> str | None:
    """Store and triage one spoken or keyed answer; returns the safety advice due, if any.

    An emergency stops the check-in (the call tells the patient to act, then ends); any other
    answer moves the call to the next question.
    """
    index = checkin.question_index
    text = storable(text)
    assessment = triage_reply(text, code, patient, checkin, channel=Channel.VOICE)
    stored = assessment.to_dict() if assessment else None
    if stored is not None and confidence is not None and confidence < LOW_CONFIDENCE:
        # Unsure what was said: a nurse looks, whatever the parser made of it.
        stored["needs_review"] = bool(stored["findings"])
    taken = store_once(
        {
            "message_sid": f"{params.get('CallSid') or call.twilio_sid}:{index}",
            "channel": Channel.VOICE,
            "speech_confidence": confidence,
            "from_number": patient.phone,
            "to_number": params.get("From"),
            "body": text,
            "originals": params.originals_json(),
            "sender": InboundMessage.Sender.PATIENT,
            "patient": patient,
            "checkin": checkin,
            "question": code,
            "assessment": stored,
        }
    )
    metrics.inbound(Channel.VOICE, "stored" if taken else "duplicate")
    # A retried webhook stored nothing new: its answer was triaged the first time.
    severity = assessment.severity if assessment and taken else triage.Severity.NONE
    now = timezone.now()
    kind = safety_kind(patient.care_team, severity, now)
    if kind == SafetyWording.Kind.EMERGENCY:
        checkins.escalate(checkin.pk, now)
    else:
        checkins.call_moved_on(checkin.pk, index)
    return kind


# Triage with the patient's history


# Who wrote, as triage.evaluate's `sender` knows them.
_TRIAGE_SENDERS = (InboundMessage.Sender.PATIENT, InboundMessage.Sender.CAREGIVER)


def triage_reply(
    body: str,
    question: str,
    patient: Patient | None,
    checkin: CheckIn | None,
    channel: str = Channel.SMS,
    sender: str = InboundMessage.Sender.PATIENT,
) -> triage.Assessment | None:
    """Triage a reply with the patient's history; None when triage fails (a nurse reviews).

    sender: who the webhook matched. The registered caregiver's "she fell" is the patient's; on a
    call the identity check has made the speaker the patient.
    """
    # Unknown or shared numbers: the words alone decide who has the symptom.
    who = sender if sender in _TRIAGE_SENDERS else None
    try:
        if patient is None:
            return triage.evaluate(body, question=question, lang="en", channel=channel)
        config = patient.care_team.triage_config()
        if question == Question.CHECKLIST and checkin is not None:
            assessment = evaluate_checklist(
                body, checkin.step.checklist_items, patient.language, channel, config, who
            )
        else:
            assessment = triage.evaluate(
                body,
                question=question,
                lang=patient.language,
                channel=channel,
                config=config,
                sender=who,
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
    # No check-in has id 0: excluding it excludes nothing.
    rows = _HISTORY.rows(patient=patient.pk, current=current.pk if current else 0)
    grouped: dict[object, list[tuple[Any, ...]]] = {}
    for checkin_id, message_id, findings, pain_score, created_at in rows[:limit]:
        key = checkin_id or f"message-{message_id}"
        grouped.setdefault(key, []).append((findings, pain_score, created_at))
    priors = []
    for group in grouped.values():
        scores = [score for _, score, _ in sorted(group, key=lambda a: a[2])]
        known = [score for score in scores if score is not None]
        priors.append(
            triage.PriorAnswer(
                findings=tuple(dict.fromkeys(code for codes, _, _ in group for code in codes)),
                pain_score=known[-1] if known else None,
                when=max(at for _, _, at in group),
            )
        )
    return priors


def _history(patient: int, current: int) -> QuerySet[Answer, tuple[Any, ...]]:
    return (
        Answer.objects.filter(patient=patient)
        .exclude(checkin=current)
        .order_by("-created_at")
        .values_list("checkin_id", "message_id", "findings", "pain_score", "created_at")[:30]
    )


_HISTORY = prepared.Prepared(_history, ints=["patient", "current"])
