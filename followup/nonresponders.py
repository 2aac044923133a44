"""Patients who stop answering: one reminder, then a "no response" item; three misses, urgent."""

import datetime as dt
import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup.care import raise_care_item
from followup.conversation import closing_message
from followup.dispatch import fail_checkin, queue_call, queue_question
from followup.health import Pass, recorded_pass
from followup.models import CareItem, Channel, CheckIn, OutboundMessage
from followup.scheduling import in_quiet_hours
from followup.sending import send_message
from followup.wording import render_message

MISSES_FOR_UNREACHABLE = 3


def chase(now: dt.datetime | None = None) -> int:
    """One pass: remind quiet patients and close the day's unanswered check-ins."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.REMINDER_AFTER_MINUTES)
    with recorded_pass("chase") as run:
        due = CheckIn.objects.filter(
            status=CheckIn.Status.AWAITING, reminded_at=None, prompted_at__lte=now - window
        ).values_list("id", flat=True)
        reminders = _each(run, list(due), _remind, now, "the reminder")
        # Still nothing a window after the text reminder: a call, for patients who accept calls.
        unanswered = (
            CheckIn.objects.filter(
                status=CheckIn.Status.AWAITING,
                reminded_at__lte=now - window,
                enrollment__patient__accepts_calls=True,
            )
            .exclude(messages__channel=Channel.VOICE)
            .values_list("id", flat=True)
        )
        reminders += _each(run, list(unanswered), _call, now, "the reminder call")
        _send(run, reminders)
        awaiting = CheckIn.objects.filter(status=CheckIn.Status.AWAITING, sent_at__isnull=False)
        ended = [
            checkin.pk
            for checkin in awaiting.select_related("enrollment__patient")
            if end_of_day(checkin) <= now
        ]
        _send(run, _each(run, ended, _close_day, now, "closing the day"))
    return len(reminders)


def _each(
    run: Pass,
    checkin_ids: list[int],
    step: Callable[[int, dt.datetime], OutboundMessage | None],
    now: dt.datetime,
    what: str,
) -> list[OutboundMessage]:
    """Take one step for each check-in; one that fails is stopped and shown to staff."""
    messages = []
    for checkin_id in checkin_ids:
        failed = functools.partial(fail_checkin, checkin_id, now, what)
        with run.item(f"check-in {checkin_id}", failed):
            if (message := step(checkin_id, now)) is not None:
                messages.append(message)
    return messages


def _send(run: Pass, messages: list[OutboundMessage]) -> None:
    for message in messages:
        with run.item(f"message {message.pk}"):
            send_message(message.pk)


def end_of_day(checkin: CheckIn) -> dt.datetime:
    """When an unanswered check-in counts as missed: the patient's quiet hours, or midnight."""
    patient = checkin.enrollment.patient
    tz = patient.tz
    sent = (checkin.sent_at or checkin.due_at).astimezone(tz)
    midnight = dt.datetime.combine(sent.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    quiet = dt.datetime.combine(sent.date(), patient.quiet_start, tzinfo=tz)
    return quiet if sent < quiet < midnight else midnight


def _locked(checkin_id: int) -> CheckIn:
    # Locked so a concurrent pass, or the patient's answer, cannot act on it at the same time.
    return (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("enrollment__patient__care_team")
        .get(pk=checkin_id)
    )


def _remind(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    with transaction.atomic():
        checkin = _locked(checkin_id)
        patient = checkin.enrollment.patient
        local = now.astimezone(patient.tz).time()
        if checkin.status != CheckIn.Status.AWAITING or checkin.reminded_at is not None:
            return None
        if in_quiet_hours(local, patient.quiet_start, patient.quiet_end):
            return None
        checkin.reminded_at = now
        checkin.save(update_fields=["reminded_at"])
        if not patient.can_text:
            return (
                queue_call(checkin, OutboundMessage.Kind.REMINDER)
                if patient.accepts_calls
                else None
            )
        intro = render_message("reminder_intro", patient.language, team=patient.care_team.name)
        message = queue_question(checkin, intro=intro)
        OutboundMessage.objects.filter(pk=message.pk).update(kind=OutboundMessage.Kind.REMINDER)
        return message


def _call(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    with transaction.atomic():
        checkin = _locked(checkin_id)
        patient = checkin.enrollment.patient
        local = now.astimezone(patient.tz).time()
        already = checkin.messages.filter(channel=Channel.VOICE).exists()
        if checkin.status != CheckIn.Status.AWAITING or already:
            return None
        if in_quiet_hours(local, patient.quiet_start, patient.quiet_end):
            return None
        return queue_call(checkin, OutboundMessage.Kind.REMINDER)


def _close_day(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    with transaction.atomic():
        checkin = _locked(checkin_id)
        if checkin.status != CheckIn.Status.AWAITING:
            return None
        answered = checkin.answers.exists()
        checkin.status = CheckIn.Status.COMPLETED if answered else CheckIn.Status.MISSED
        checkin.closed_at = now
        checkin.save(update_fields=["status", "closed_at"])
        patient = checkin.enrollment.patient
        if not answered:
            local = checkin.due_at.astimezone(patient.tz)
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
