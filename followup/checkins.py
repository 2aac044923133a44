"""A check-in's life: claim, send, ask, close, expire, cancel. Every change of status is here.

Each change is a conditional UPDATE from the statuses it may leave, so two workers, a retried
webhook or a patient's late answer can never move a check-in backwards or reopen a closed one.
The passes that decide *when* (dispatch, nonresponders) and the webhooks that report what
happened (inbound, delivery) call these functions and never write a status themselves.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from followup import metrics
from followup.care import raise_care_item
from followup.health import describe
from followup.models import (
    Answer,
    CareItem,
    Channel,
    CheckIn,
    Enrollment,
    OutboundMessage,
    Patient,
    ProtocolStep,
    Question,
    Severity,
)
from followup.wording import render_checklist, render_message

OPEN = (CheckIn.Status.PENDING, CheckIn.Status.SENDING, CheckIn.Status.AWAITING)
IN_PROGRESS = (CheckIn.Status.SENDING, CheckIn.Status.AWAITING)
# A reply this long after its question still answers it; later ones are unsolicited.
ANSWER_WINDOW = dt.timedelta(hours=24)
MISSES_FOR_UNREACHABLE = 3


def _move(checkin_id: int, leaving: tuple[str, ...], status: str, **fields: object) -> bool:
    """Move one check-in to `status` if it is still in one of `leaving`; True when it moved."""
    moved = CheckIn.objects.filter(pk=checkin_id, status__in=leaving).update(
        status=status, **fields
    )
    return moved == 1


def _local(checkin: CheckIn, patient: Patient) -> dt.datetime:
    return checkin.due_at.astimezone(patient.tz)


# Starting


def claim(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    """Claim a pending check-in and write its first question; None when another worker won."""
    with transaction.atomic():
        if not _move(checkin_id, (CheckIn.Status.PENDING,), CheckIn.Status.SENDING):
            return None
        checkin = CheckIn.objects.select_related("enrollment__patient__care_team", "step").get(
            id=checkin_id
        )
        message = _first_message(checkin)
        if message is None:
            # Neither texts nor calls may reach the patient: staff already have an item for it.
            _move(checkin_id, OPEN, CheckIn.Status.CANCELLED, closed_at=now)
            return None
        if message.question == Question.CHECKLIST:
            checkin.save(update_fields=["questions"])
        CheckIn.objects.filter(pk=checkin.pk).update(prompted_at=timezone.now())
        message.save()
        return message


def _first_message(checkin: CheckIn) -> OutboundMessage | None:
    """A claimed check-in's first question or call, unsaved; None when the patient is unreachable.

    A numbered step asked by text has its questions replaced (unsaved) by the one form.
    """
    patient = checkin.enrollment.patient
    channel = channel_for(checkin.step.channel, patient)
    if channel is None:
        return None
    if channel == Channel.VOICE:
        return _call(checkin, OutboundMessage.Kind.QUESTION)
    if checkin.step.numbered and checkin.step.checklist_items:
        # By text, the step's questions go at once as one numbered form.
        checkin.questions = [Question.CHECKLIST]
    intro = render_message(
        "intro", patient.language, first_name=patient.first_name, team=patient.care_team.name
    )
    return _question(checkin, intro, OutboundMessage.Kind.QUESTION)


# Several workers claim at once: each skips the rows another is claiming (SKIP LOCKED) rather
# than waiting for them, and a row it reads as pending but finds taken by the time it locks it
# is rechecked and left out, so no check-in is claimed twice.
_CLAIM = """
UPDATE followup_checkin SET status = 'sending', prompted_at = %(prompted)s
WHERE status = 'pending' AND id IN (
    SELECT checkin.id FROM followup_checkin AS checkin
    JOIN followup_enrollment AS enrollment ON enrollment.id = checkin.enrollment_id
    WHERE checkin.status = 'pending' AND checkin.due_at <= %(now)s
        AND enrollment.status = 'active' AND NOT checkin.id = ANY(%(skip)s::bigint[])
    ORDER BY checkin.due_at LIMIT %(limit)s
    FOR UPDATE OF checkin SKIP LOCKED
)
RETURNING id
"""


@dataclass
class Claimed:
    """A batch of claimed check-ins: their first messages, written, and those that failed."""

    count: int = 0
    messages: list[OutboundMessage] = field(default_factory=list)
    failed: list[tuple[int, Exception]] = field(default_factory=list)


def claim_due(
    now: dt.datetime, limit: int, held_until: dt.datetime, skip: Collection[int] = ()
) -> Claimed:
    """Claim up to `limit` due check-ins and write their first messages, in few statements.

    Runs inside the caller's transaction. Messages are written queued; texts are kept from
    the sweep for lost sends (sending.due_again) until `held_until`, by when the caller has
    sent them unless it died. A check-in whose message could not be written is put back
    pending, in `failed`, for the caller to stop.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM, {"prompted": timezone.now(), "now": now, "skip": list(skip), "limit": limit}
        )
        ids = [row[0] for row in cursor.fetchall()]
    claimed = Claimed(count=len(ids))
    if not ids:
        return claimed
    checkins = CheckIn.objects.filter(id__in=ids).select_related(
        "enrollment__patient__care_team", "step"
    )
    unreachable, numbered = [], []
    for checkin in checkins.order_by("due_at", "id"):
        try:
            message = _first_message(checkin)
        except Exception as exc:
            claimed.failed.append((checkin.pk, exc))
            continue
        if message is None:
            unreachable.append(checkin.pk)
            continue
        if message.question == Question.CHECKLIST:
            numbered.append(checkin.pk)
        if message.channel == Channel.SMS:
            message.next_attempt_at = held_until
        claimed.messages.append(message)
    OutboundMessage.objects.bulk_create(claimed.messages)
    if numbered:
        CheckIn.objects.filter(id__in=numbered).update(questions=[Question.CHECKLIST])
    if unreachable:
        # Neither texts nor calls may reach these patients: staff already have an item for each.
        CheckIn.objects.filter(id__in=unreachable).update(
            status=CheckIn.Status.CANCELLED, closed_at=now, prompted_at=None
        )
    if claimed.failed:
        CheckIn.objects.filter(id__in=[pk for pk, _ in claimed.failed]).update(
            status=CheckIn.Status.PENDING, prompted_at=None
        )
    return claimed


def channel_for(step_channel: str, patient: Patient) -> str | None:
    """How to reach the patient for a step: its channel, or the other one when that is closed."""
    wanted = patient.preferred_channel if step_channel == ProtocolStep.PREFERRED else step_channel
    if wanted == Channel.VOICE and patient.accepts_calls:
        return Channel.VOICE
    if patient.can_text:
        return Channel.SMS
    # Texts are off (STOP, a dead number): voice check-ins continue for those who accept calls.
    return Channel.VOICE if patient.accepts_calls else None


def mark_sent(message: OutboundMessage, now: dt.datetime) -> None:
    """Twilio took the check-in's question or call: the check-in now waits for the answer."""
    if message.checkin_id is not None and message.kind in (
        OutboundMessage.Kind.QUESTION,
        OutboundMessage.Kind.REMINDER,
    ):
        first = _move(
            message.checkin_id, (CheckIn.Status.SENDING,), CheckIn.Status.AWAITING, sent_at=now
        )
        if first and message.checkin is not None:
            metrics.dispatched(message.checkin.due_at, now)


_MARK_SENT = """
UPDATE followup_checkin SET status = 'awaiting', sent_at = %(now)s
WHERE id = ANY(%(ids)s::bigint[]) AND status = 'sending'
RETURNING id
"""


def mark_sent_many(messages: list[OutboundMessage], now: dt.datetime) -> None:
    """mark_sent() for many accepted messages in one statement (their check-ins loaded)."""
    asked = {
        m.checkin_id: m
        for m in messages
        if m.checkin_id is not None
        and m.kind in (OutboundMessage.Kind.QUESTION, OutboundMessage.Kind.REMINDER)
    }
    if not asked:
        return
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT, {"now": now, "ids": list(asked)})
        moved = [row[0] for row in cursor.fetchall()]
    for checkin_id in moved:
        checkin = asked[checkin_id].checkin
        if checkin is not None:
            metrics.dispatched(checkin.due_at, now)


# Asking


def queue_question(checkin: CheckIn, intro: str = "", kind: str = "") -> OutboundMessage:
    """Write the check-in's current question as an outbound message (sent after commit)."""
    CheckIn.objects.filter(pk=checkin.pk).update(prompted_at=timezone.now())
    message = _question(checkin, intro, kind or OutboundMessage.Kind.QUESTION)
    message.save()
    return message


def _question(checkin: CheckIn, intro: str, kind: str) -> OutboundMessage:
    patient = checkin.enrollment.patient
    question = checkin.current_question
    if question is None:
        raise ValueError(f"check-in {checkin.pk} has no question left to ask")
    if question == Question.CHECKLIST:
        step = checkin.step
        body = render_checklist(step.checklist_items, "pain" in step.questions, patient.language)
    else:
        body = render_message(f"question_{question}", patient.language)
    return OutboundMessage(
        patient=patient,
        to=patient.phone,
        body=f"{intro} {body}".strip(),
        kind=kind,
        checkin=checkin,
        question=question,
    )


def queue_call(checkin: CheckIn, kind: str) -> OutboundMessage:
    """Write a check-in call; the IVR asks the questions from where the check-in stands."""
    CheckIn.objects.filter(pk=checkin.pk).update(prompted_at=timezone.now())
    message = _call(checkin, kind)
    message.save()
    return message


def _call(checkin: CheckIn, kind: str) -> OutboundMessage:
    patient = checkin.enrollment.patient
    return OutboundMessage(
        patient=patient,
        to=patient.phone,
        body="Voice check-in call",
        kind=kind,
        channel=Channel.VOICE,
        checkin=checkin,
    )


def awaiting_answer(patient: Patient) -> CheckIn | None:
    """The check-in waiting for this patient's answer, if one was asked recently."""
    return _awaiting(patient).first()


def _awaiting(patient: Patient | OuterRef, since: dt.datetime | None = None) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(
        enrollment__patient=patient,
        status=CheckIn.Status.AWAITING,
        sent_at__gte=since or timezone.now() - ANSWER_WINDOW,
    ).order_by("-sent_at")


# What the webhook reads of the awaited check-in; any other field loads when first used.
_AWAITED_FIELDS = ("id", "enrollment_id", "step_id", "status", "questions", "question_index")


def awaited_column(since: dt.datetime | None = None) -> Subquery:
    """awaiting_answer() for each patient of a query, as one column of that same query.

    since: the oldest send that still awaits an answer (now less ANSWER_WINDOW by default).
    Read it back with awaited_checkin().
    """
    fields = JSONObject(**{name: name for name in _AWAITED_FIELDS})
    return Subquery(
        _awaiting(OuterRef("pk"), since).values_list(fields)[:1], output_field=models.JSONField()
    )


def awaited_checkin(column: dict[str, Any] | None) -> CheckIn | None:
    """The check-in of an awaited_column() value, its other fields deferred."""
    if column is None:
        return None
    names = [f.attname for f in CheckIn._meta.concrete_fields if f.attname in _AWAITED_FIELDS]
    return CheckIn.from_db("default", names, [column[name] for name in names])


def advance(
    checkin_id: int, question: str, answer: Answer, understood: bool
) -> OutboundMessage | None:
    """After a texted answer: re-ask once, ask the next question, or close the check-in.

    Runs inside the caller's transaction; the check-in is locked so a second reply waits.
    """
    checkin = CheckIn.objects.select_for_update().get(pk=checkin_id)
    if checkin.status != CheckIn.Status.AWAITING or checkin.current_question != question:
        # A second reply to a question already answered: stored and triaged, nothing to ask.
        return None
    now = timezone.now()
    if answer.severity >= Severity.EMERGENCY:
        # The patient has been told to seek care now; more questions would only delay them.
        escalate(checkin.pk, now)
        return None
    patient = checkin.enrollment.patient
    if not understood and not checkin.reasked:
        checkin.reasked = True
        checkin.save(update_fields=["reasked"])
        return queue_question(checkin, intro=render_message("reask_intro", patient.language))
    checkin.question_index += 1
    checkin.reasked = False
    if checkin.current_question is not None:
        checkin.save(update_fields=["question_index", "reasked"])
        return queue_question(checkin)
    checkin.save(update_fields=["question_index", "reasked"])
    _move(checkin.pk, (CheckIn.Status.AWAITING,), CheckIn.Status.COMPLETED, closed_at=now)
    return closing_message(checkin)


def call_moved_on(checkin_id: int, index: int) -> None:
    """On a call, question `index` is done (answered or skipped); a retried webhook skips none."""
    CheckIn.objects.filter(pk=checkin_id, question_index=index).update(question_index=index + 1)


def call_not_answered(checkin_id: int, now: dt.datetime) -> None:
    """Busy, no answer or failed: the check-in stays open for a reminder and the day's end."""
    _move(checkin_id, IN_PROGRESS, CheckIn.Status.AWAITING, prompted_at=now)


# Closing


def escalate(checkin_id: int, now: dt.datetime) -> bool:
    """An emergency answer stops the check-in; one already closed or cancelled stays so."""
    return _move(checkin_id, IN_PROGRESS, CheckIn.Status.ESCALATED, closed_at=now)


def finish_call(checkin: CheckIn) -> OutboundMessage | None:
    """The call asked its last question: complete the check-in; returns the text to send, if any."""
    with transaction.atomic():
        if not _move(
            checkin.pk,
            (CheckIn.Status.AWAITING,),
            CheckIn.Status.COMPLETED,
            closed_at=timezone.now(),
        ):
            return None
        checkin.refresh_from_db()
        # After the last check-in, the follow-up's closing text (the call said thanks).
        return closing_message(checkin, thank=False)


def close_day(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    """The day ended with the check-in still open: completed if answered, else missed."""
    with transaction.atomic():
        checkin = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("enrollment__patient__care_team")
            .get(pk=checkin_id)
        )
        if checkin.status != CheckIn.Status.AWAITING:
            return None
        answered = checkin.answers.exists()
        status = CheckIn.Status.COMPLETED if answered else CheckIn.Status.MISSED
        _move(checkin.pk, (CheckIn.Status.AWAITING,), status, closed_at=now)
        checkin.status = status
        patient = checkin.enrollment.patient
        if not answered:
            local = _local(checkin, patient)
            raise_care_item(
                patient, CareItem.Kind.NO_RESPONSE, f"No reply to the {local:%b %-d} check-in."
            )
            _flag_unreachable(checkin)
        # A day that ends unanswered gets no thank-you, only the follow-up's last word.
        return closing_message(checkin, thank=answered)


def _flag_unreachable(checkin: CheckIn) -> None:
    recent = list(
        CheckIn.objects.filter(enrollment=checkin.enrollment, closed_at__isnull=False)
        .exclude(status=CheckIn.Status.CANCELLED)
        .order_by("-due_at")
        .values_list("status", flat=True)[:MISSES_FOR_UNREACHABLE]
    )
    if len(recent) == MISSES_FOR_UNREACHABLE and all(s == CheckIn.Status.MISSED for s in recent):
        raise_care_item(
            checkin.enrollment.patient,
            CareItem.Kind.UNREACHABLE,
            f"No reply to the last {MISSES_FOR_UNREACHABLE} check-ins: call the patient.",
            urgent=True,
        )


def closing_message(checkin: CheckIn, thank: bool = True) -> OutboundMessage | None:
    """Thanks after a check-in; after the last one, the follow-up's closing message."""
    enrollment = checkin.enrollment
    patient = enrollment.patient
    last = not enrollment.checkins.filter(status__in=OPEN).exists()
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


# Stopping


def expire(checkin: CheckIn, now: dt.datetime) -> None:
    """Could not go out within the send window: expired, and staff hear of it."""
    with transaction.atomic():
        if _move(checkin.pk, (CheckIn.Status.PENDING,), CheckIn.Status.EXPIRED, closed_at=now):
            patient = checkin.enrollment.patient
            raise_care_item(
                patient,
                CareItem.Kind.EXPIRED,
                f"The check-in due {_local(checkin, patient):%b %-d %H:%M} could not be sent "
                "in time.",
            )


def fail(checkin_id: int, now: dt.datetime, step: str, exc: Exception) -> None:
    """Stop a check-in that a pass could not handle, and tell staff what failed.

    Left open, it would fail again in every pass; closed, nothing more is sent for it, so the
    care team contacts the patient.
    """
    with transaction.atomic():
        if not _move(checkin_id, OPEN, CheckIn.Status.FAILED, closed_at=now):
            return
        checkin = CheckIn.objects.select_related("enrollment__patient").get(pk=checkin_id)
        patient = checkin.enrollment.patient
        raise_care_item(
            patient,
            CareItem.Kind.CHECKIN_FAILED,
            f"The check-in due {_local(checkin, patient):%b %-d %H:%M} was stopped: {step} "
            f"failed ({describe(exc)}).",
        )


def send_failed(checkin_id: int, now: dt.datetime) -> None:
    """A message of the check-in could not be sent at all (staff see the message itself)."""
    _move(checkin_id, OPEN, CheckIn.Status.FAILED, closed_at=now)


def cancel_pending(enrollment: Enrollment, now: dt.datetime | None = None) -> int:
    """Cancel the check-ins not yet claimed for sending (pausing, withdrawing, re-planning)."""
    return enrollment.checkins.filter(status=CheckIn.Status.PENDING).update(
        status=CheckIn.Status.CANCELLED, closed_at=now or timezone.now()
    )


def cancel_awaiting(patient: Patient, now: dt.datetime) -> int:
    """The patient said STOP: the questions waiting for an answer are withdrawn."""
    return CheckIn.objects.filter(
        enrollment__patient=patient, status=CheckIn.Status.AWAITING
    ).update(status=CheckIn.Status.CANCELLED, closed_at=now)
