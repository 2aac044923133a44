"""Claiming due check-ins and handing messages to the gateway, at most once each."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from followup.care import raise_care_item
from followup.consent import NUMBER_FAILURES, record_failed_number
from followup.gateway import Gateway, Receipt, TransportError, get_gateway
from followup.models import CareItem, Channel, CheckIn, Enrollment, OutboundMessage
from followup.phones import mask
from followup.wording import render_message

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A queued message this old lost its task (a crash between commit and enqueue): the sweep sends it.
STRAY_AFTER = dt.timedelta(seconds=30)
BATCH = 200


def dispatch_due(now: dt.datetime | None = None, gateway: Gateway | None = None) -> int:
    """One pass: start every due check-in, then send messages whose task was lost."""
    now = now or timezone.now()
    gateway = gateway or get_gateway()
    expire_stale(now)
    started = 0
    due = CheckIn.objects.filter(
        status=CheckIn.Status.PENDING,
        due_at__lte=now,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).values_list("id", flat=True)[:BATCH]
    for checkin_id in list(due):
        message = claim_checkin(checkin_id, now)
        if message is not None:
            send_message(message.pk, gateway)
            started += 1
    stray = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.QUEUED, created_at__lte=now - STRAY_AFTER
    ).values_list("id", flat=True)[:BATCH]
    for message_id in list(stray):
        send_message(message_id, gateway)
    return started


def expire_stale(now: dt.datetime) -> None:
    """Check-ins that could not go out within the send window expire, and staff hear of it."""
    cutoff = now - dt.timedelta(minutes=settings.CHECKIN_SEND_WINDOW_MINUTES)
    stale = CheckIn.objects.filter(status=CheckIn.Status.PENDING, due_at__lt=cutoff).exclude(
        enrollment__status__in=[Enrollment.Status.PAUSED]
    )
    for checkin in stale.select_related("enrollment__patient"):
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


def claim_checkin(checkin_id: int, now: dt.datetime) -> OutboundMessage | None:
    """Claim a pending check-in and write its first question; None when another worker won."""
    with transaction.atomic():
        claimed = CheckIn.objects.filter(id=checkin_id, status=CheckIn.Status.PENDING).update(
            status=CheckIn.Status.SENDING
        )
        if claimed != 1:
            return None
        checkin = CheckIn.objects.select_related("enrollment__patient__care_team").get(
            id=checkin_id
        )
        patient = checkin.enrollment.patient
        if not patient.can_text:
            checkin.status = CheckIn.Status.CANCELLED
            checkin.closed_at = now
            checkin.save(update_fields=["status", "closed_at"])
            return None
        intro = render_message(
            "intro", patient.language, first_name=patient.first_name, team=patient.care_team.name
        )
        return queue_question(checkin, intro=intro)


def queue_question(checkin: CheckIn, intro: str = "") -> OutboundMessage:
    """Write the check-in's current question as an outbound message (sent after commit)."""
    patient = checkin.enrollment.patient
    question = checkin.current_question
    if question is None:
        raise ValueError(f"check-in {checkin.pk} has no question left to ask")
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


def send_after_commit(message: OutboundMessage) -> None:
    """Queue a written message for sending once the transaction that wrote it commits."""
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task(
            "followup.tasks.send_message", message.pk, task_name=f"send-{message.pk}"
        )
    )


def status_callback_url() -> str | None:
    base = settings.TWILIO_WEBHOOK_BASE_URL
    return base.rstrip("/") + reverse("twilio-status") if base else None


def webhook_url(path: str) -> str:
    """An absolute URL Twilio can call back (for TwiML); local in development."""
    base = settings.TWILIO_WEBHOOK_BASE_URL or settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def _hand_over(message: OutboundMessage, gateway: Gateway) -> Receipt:
    if message.channel == Channel.VOICE:
        # Only pages are calls for now: the call fetches its TwiML from the page's own URL.
        url = webhook_url(reverse("twilio-voice-page", args=[message.pk]))
        return gateway.make_call(message.to, url)
    return gateway.send_sms(message.to, message.body, status_callback=status_callback_url())


def send_message(message_id: int, gateway: Gateway | None = None) -> bool:
    """Send one queued message if nobody else is; True when Twilio accepted it."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        id=message_id, status=OutboundMessage.Status.QUEUED
    ).update(status=OutboundMessage.Status.SENDING, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    message = OutboundMessage.objects.get(id=message_id)
    try:
        receipt = _hand_over(message, gateway or get_gateway())
    except TransportError as exc:
        _record_failure(message, exc)
        return False
    OutboundMessage.objects.filter(id=message_id).update(
        twilio_sid=receipt.sid,
        status=OutboundMessage.Status.ACCEPTED,
        sent_at=now,
        status_updated_at=now,
    )
    if message.checkin_id is not None and message.kind == OutboundMessage.Kind.QUESTION:
        CheckIn.objects.filter(id=message.checkin_id, status=CheckIn.Status.SENDING).update(
            status=CheckIn.Status.AWAITING, sent_at=now
        )
    return True


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
    if exc.uncertain:
        # Twilio may have it: leave it "sending" for staff to settle rather than risk a duplicate.
        status = OutboundMessage.Status.SENDING
    elif exc.permanent or message.attempts >= MAX_ATTEMPTS:
        status = OutboundMessage.Status.FAILED
    else:
        status = OutboundMessage.Status.QUEUED
    OutboundMessage.objects.filter(id=message.pk).update(
        status=status, error_code=exc.code, error_message=exc.message[:500]
    )
    if status == OutboundMessage.Status.FAILED and message.checkin_id is not None:
        CheckIn.objects.filter(id=message.checkin_id).update(
            status=CheckIn.Status.FAILED, closed_at=timezone.now()
        )
    if message.patient is not None and exc.code in NUMBER_FAILURES:
        record_failed_number(message.patient, exc.code)
