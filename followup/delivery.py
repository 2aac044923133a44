"""What Twilio reports about what we sent: text delivery status and how a call went."""

import logging

from django.utils import timezone

from followup import checkins, metrics
from followup.consent import NUMBER_FAILURES, record_failed_number
from followup.models import Channel, OutboundMessage
from followup.twilio_params import Params, error_code

log = logging.getLogger(__name__)

# Forward-only: a late "sent" callback never overwrites "delivered".
STATUS_RANK = {
    "queued": 0, "sending": 1, "accepted": 1, "scheduled": 1, "sent": 2, "delivered": 3,
    "undelivered": 3, "failed": 3, "canceled": 3, "partially_delivered": 3, "read": 4,
}  # fmt: skip
# Call statuses that mean nobody took the call.
NOT_REACHED = ("busy", "no-answer", "failed", "canceled")


def record_message_status(params: Params) -> None:
    """A text's status callback: move it forward, and stop texting a number that cannot take it."""
    sid, status = params.get("MessageSid"), params.get("MessageStatus")
    message = OutboundMessage.objects.filter(twilio_sid=sid).first()
    if message is None:
        # Not ours, or a TwiML reply: nothing to update, and no reason for Twilio to retry.
        return
    if status not in STATUS_RANK:
        # Twilio adds statuses over time; a retry would bring the same one again.
        log.warning("status callback for %s with an unknown status %r", sid, status[:40])
        return
    earlier = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    raw_code = params.get("ErrorCode")
    code = error_code(raw_code)
    unread = f"Twilio reported error code {raw_code[:40]!r}" if raw_code and code is None else ""
    moved = OutboundMessage.objects.filter(pk=message.pk, status__in=earlier).update(
        status=status,
        error_code=code or message.error_code,
        error_message=unread or message.error_message,
        status_updated_at=timezone.now(),
    )
    if moved:
        metrics.outbound_status(message.kind, status)
    if message.patient is not None and code in NUMBER_FAILURES:
        record_failed_number(message.patient, code)


def record_call_status(sid: str, status: str) -> None:
    """Call progress: busy, no answer and failures lead to the non-responder path."""
    call = OutboundMessage.objects.filter(twilio_sid=sid, channel=Channel.VOICE).first()
    if call is None:
        return
    now = timezone.now()
    if status in NOT_REACHED:
        OutboundMessage.objects.filter(pk=call.pk).update(
            call_outcome=status, status_updated_at=now
        )
        if call.checkin_id is not None:
            # The check-in stays open: a reminder and the end-of-day "no response" item follow.
            checkins.call_not_answered(call.checkin_id, now)
    elif status == "completed":
        answered = OutboundMessage.objects.filter(
            pk=call.pk,
            status__in=[OutboundMessage.Status.ACCEPTED, OutboundMessage.Status.SENDING],
        ).update(status=OutboundMessage.Status.DELIVERED, status_updated_at=now)
        if answered:
            metrics.outbound_status(call.kind, OutboundMessage.Status.DELIVERED)


def record_call_outcome(call: OutboundMessage, outcome: str) -> None:
    """How far a check-in call got: answered, machine, identified, identity failed."""
    OutboundMessage.objects.filter(pk=call.pk).update(call_outcome=outcome)
