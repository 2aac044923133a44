"""Claiming due check-ins and handing messages to the gateway, at most once each."""

import datetime as dt
import functools
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup.care import raise_care_item
from followup.gateway import Gateway, get_gateway
from followup.health import Pass, describe, recorded_pass
from followup.models import (
    CareItem,
    Channel,
    CheckIn,
    Enrollment,
    OutboundMessage,
    Patient,
    Question,
)
from followup.sending import THROTTLE_MAX_WAIT, due_again, send_message, settle_uncertain
from followup.wording import render_checklist, render_message

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
        due = CheckIn.objects.filter(
            status=CheckIn.Status.PENDING,
            due_at__lte=now,
            enrollment__status=Enrollment.Status.ACTIVE,
        ).order_by("due_at")
        # A check-in whose failure could not even be recorded stays pending: once is enough.
        tried: set[int] = set()
        while time.monotonic() < deadline and (
            batch := list(due.exclude(id__in=tried).values_list("id", flat=True)[:BATCH])
        ):
            for checkin_id in batch:
                if time.monotonic() > deadline:
                    break
                tried.add(checkin_id)
                message = None
                failed = functools.partial(fail_checkin, checkin_id, now, "writing its question")
                with run.item(f"check-in {checkin_id}", failed):
                    message = claim_checkin(checkin_id, now)
                if message is not None:
                    with run.item(f"message {message.pk}"):
                        send_message(message.pk, gateway, max_wait=_remaining(deadline))
                    started += 1
        retry = due_again(now).order_by("created_at").values_list("id", flat=True)
        for message_id in list(retry[:BATCH]):
            if time.monotonic() > deadline:
                break
            with run.item(f"message {message_id}"):
                send_message(message_id, gateway, now=now, max_wait=_remaining(deadline))
        settle_uncertain(now, run, gateway)
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
        failed = functools.partial(fail_checkin, checkin.pk, now, "expiring it")
        with run.item(f"check-in {checkin.pk}", failed):
            _expire(checkin, now)


def _expire(checkin: CheckIn, now: dt.datetime) -> None:
    with transaction.atomic():
        expired = CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.PENDING).update(
            status=CheckIn.Status.EXPIRED, closed_at=now
        )
        if expired:
            local = checkin.due_at.astimezone(checkin.enrollment.patient.tz)
            raise_care_item(
                checkin.enrollment.patient,
                CareItem.Kind.EXPIRED,
                f"The check-in due {local:%b %-d %H:%M} could not be sent in time.",
            )


def fail_checkin(checkin_id: int, now: dt.datetime, step: str, exc: Exception) -> None:
    """Stop a check-in that a pass could not handle, and tell staff what failed.

    Left open, it would fail again in every pass; closed, nothing more is sent for it, so the
    care team contacts the patient.
    """
    with transaction.atomic():
        failed = CheckIn.objects.filter(
            pk=checkin_id,
            status__in=[CheckIn.Status.PENDING, CheckIn.Status.SENDING, CheckIn.Status.AWAITING],
        ).update(status=CheckIn.Status.FAILED, closed_at=now)
        if not failed:
            return
        checkin = CheckIn.objects.select_related("enrollment__patient").get(pk=checkin_id)
        patient = checkin.enrollment.patient
        local = checkin.due_at.astimezone(patient.tz)
        raise_care_item(
            patient,
            CareItem.Kind.CHECKIN_FAILED,
            f"The check-in due {local:%b %-d %H:%M} was stopped: {step} failed ({describe(exc)}).",
        )


def claim_checkin(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    """Claim a pending check-in and write its first question; None when another worker won."""
    with transaction.atomic():
        claimed = CheckIn.objects.filter(id=checkin_id, status=CheckIn.Status.PENDING).update(
            status=CheckIn.Status.SENDING
        )
        if claimed != 1:
            return None
        checkin = CheckIn.objects.select_related("enrollment__patient__care_team", "step").get(
            id=checkin_id
        )
        patient = checkin.enrollment.patient
        channel = checkin_channel(checkin.step.channel, patient)
        if channel is None:
            # Neither texts nor calls may reach the patient: staff already have an item for it.
            checkin.status = CheckIn.Status.CANCELLED
            checkin.closed_at = now
            checkin.save(update_fields=["status", "closed_at"])
            return None
        if channel == Channel.VOICE:
            return queue_call(checkin, OutboundMessage.Kind.QUESTION)
        if checkin.step.numbered and checkin.step.checklist_items:
            # By text, the step's questions go at once as one numbered form.
            checkin.questions = [Question.CHECKLIST]
            checkin.save(update_fields=["questions"])
        intro = render_message(
            "intro", patient.language, first_name=patient.first_name, team=patient.care_team.name
        )
        return queue_question(checkin, intro=intro)


def checkin_channel(step_channel: str, patient: Patient) -> str | None:
    """How to reach the patient for a step: its channel, or the other one when that is closed."""
    wanted = patient.preferred_channel if step_channel == "preferred" else step_channel
    if wanted == Channel.VOICE and patient.accepts_calls:
        return Channel.VOICE
    if patient.can_text:
        return Channel.SMS
    # Texts are off (STOP, a dead number): voice check-ins continue for those who accept calls.
    return Channel.VOICE if patient.accepts_calls else None


def queue_call(checkin: CheckIn, kind: str) -> OutboundMessage:
    """Write a check-in call; the IVR asks the questions from where the check-in stands."""
    patient = checkin.enrollment.patient
    CheckIn.objects.filter(pk=checkin.pk).update(prompted_at=timezone.now())
    return OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        body="Voice check-in call",
        kind=kind,
        channel=Channel.VOICE,
        checkin=checkin,
    )


def queue_question(checkin: CheckIn, intro: str = "") -> OutboundMessage:
    """Write the check-in's current question as an outbound message (sent after commit)."""
    patient = checkin.enrollment.patient
    question = checkin.current_question
    if question is None:
        raise ValueError(f"check-in {checkin.pk} has no question left to ask")
    if question == Question.CHECKLIST:
        step = checkin.step
        body = render_checklist(step.checklist_items, "pain" in step.questions, patient.language)
    else:
        body = render_message(f"question_{question}", patient.language)
    CheckIn.objects.filter(pk=checkin.pk).update(prompted_at=timezone.now())
    return OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        body=f"{intro} {body}".strip(),
        kind=OutboundMessage.Kind.QUESTION,
        checkin=checkin,
        question=question,
    )
