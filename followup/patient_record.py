"""One patient's record as staff read it: who they are, their schedule, everything said."""

import datetime as dt
from dataclasses import dataclass
from itertools import chain

from followup.models import (
    CareTeam,
    CheckIn,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    User,
)

# The newest entries of each kind; older ones stay in the database and the audit trail.
TIMELINE_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # "in", "out" or "event"
    item: InboundMessage | OutboundMessage | EscalationEvent


def timeline(patient: Patient) -> list[Entry]:
    """Texts both ways, answers on calls and escalation events, newest first."""
    inbound = patient.inbound.order_by("-received_at")[:TIMELINE_LIMIT]
    outbound = patient.outbound.exclude(kind=OutboundMessage.Kind.PAGE).order_by("-created_at")[
        :TIMELINE_LIMIT
    ]
    events = (
        EscalationEvent.objects.filter(escalation__patient=patient)
        .select_related("actor", "escalation")
        .order_by("-at")[:TIMELINE_LIMIT]
    )
    entries = chain(
        (Entry(m.received_at, "in", m) for m in inbound),
        (Entry(m.created_at, "out", m) for m in outbound),
        (Entry(e.at, "event", e) for e in events),
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def schedule(patient: Patient) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(enrollment__patient=patient)
        .select_related("step")
        .order_by("due_at")
    )


def open_escalations(patient: Patient) -> list[Escalation]:
    return list(patient.escalations.exclude(status=Escalation.Status.RESOLVED))


def on_call(team: CareTeam) -> User | None:
    return team.on_call


def age(patient: Patient, today: dt.date) -> int:
    born = patient.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
