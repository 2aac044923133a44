"""Patients who stop answering: one reminder, then a "no response" item; three misses, urgent."""

import datetime as dt
import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup import checkins
from followup.health import Pass, recorded_pass
from followup.models import Channel, CheckIn, OutboundMessage
from followup.scheduling import in_quiet_hours
from followup.sending import send_message
from followup.wording import render_message


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
        _send(run, _each(run, ended, checkins.close_day, now, "closing the day"))
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
        failed = functools.partial(checkins.fail, checkin_id, now, what)
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
                checkins.queue_call(checkin, OutboundMessage.Kind.REMINDER)
                if patient.accepts_calls
                else None
            )
        intro = render_message("reminder_intro", patient.language, team=patient.care_team.name)
        return checkins.queue_question(checkin, intro=intro, kind=OutboundMessage.Kind.REMINDER)


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
        return checkins.queue_call(checkin, OutboundMessage.Kind.REMINDER)
