"""What the demo phone shows: the patients to play, and the texts each one's phone holds."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from followup.models import CheckIn, Escalation, InboundMessage, OutboundMessage, Patient

THREAD_LIMIT = 80
# What a phone has actually received; queued or failed texts never reached it.
RECEIVED = [
    OutboundMessage.Status.ACCEPTED,
    OutboundMessage.Status.SENT,
    OutboundMessage.Status.DELIVERED,
    OutboundMessage.Status.READ,
    OutboundMessage.Status.REPLIED,
]


@dataclass(frozen=True)
class Bubble:
    at: dt.datetime
    sent_by_patient: bool
    body: str
    note: str = ""


def demo_patients() -> QuerySet[Patient]:
    """Patients to play, with when their next check-in text is due and any open escalation."""
    unresolved = Escalation.objects.filter(patient=OuterRef("pk")).exclude(
        status=Escalation.Status.RESOLVED
    )
    return Patient.objects.annotate(
        next_checkin_at=Min(
            "enrollments__checkins__due_at",
            filter=Q(enrollments__checkins__status=CheckIn.Status.PENDING),
        ),
        has_escalation=Exists(unresolved),
    ).order_by("last_name", "first_name")


def thread(patient: Patient, limit: int = THREAD_LIMIT) -> dict[str, object]:
    """The texts this patient's phone received and sent, oldest first, the last `limit` of them."""
    # One more of each than shown, so "older texts are not shown" is known to be true.
    received = OutboundMessage.objects.filter(to=patient.phone, status__in=RECEIVED)
    sent = InboundMessage.objects.filter(from_number=patient.phone)
    bubbles = [
        Bubble(message.created_at, False, message.body, _note(message))
        for message in received.order_by("-created_at")[: limit + 1]
    ]
    bubbles += [
        Bubble(message.received_at, True, message.body)
        for message in sent.order_by("-received_at")[: limit + 1]
    ]
    # A patient's text comes before the safety reply written in the same instant.
    bubbles.sort(key=lambda bubble: (bubble.at, not bubble.sent_by_patient))
    return {"bubbles": bubbles[-limit:], "truncated": len(bubbles) > limit}


def _note(message: OutboundMessage) -> str:
    if message.kind == OutboundMessage.Kind.SAFETY:
        return "automatic safety reply"
    return ""
