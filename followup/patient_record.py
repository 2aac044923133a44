"""One patient's record as staff read it: who they are, their schedule, everything said."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from followup import roster
from followup.findings import finding_words
from followup.models import (
    Answer,
    CareItem,
    CareTeam,
    Channel,
    CheckIn,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    StaffNote,
    User,
)

# The newest entries of each kind; older ones stay in the database and the audit trail.
TIMELINE_LIMIT = 200

# What the timeline can be narrowed to (`?show=`), in the order the links appear.
SHOW = {
    "texts": "Texts",
    "calls": "Calls",
    "answers": "Answers",
    "escalations": "Escalations",
    "notes": "Notes",
    "items": "Call list items",
}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # "in", "out", "answer", "event", "note" or "item"
    item: InboundMessage | OutboundMessage | Answer | EscalationEvent | StaffNote | CareItem
    findings: tuple[tuple[str, str], ...] = ()  # (clinical words, the patient's words)


def _answer_entry(answer: Answer) -> Entry:
    evidence = answer.evidence if isinstance(answer.evidence, dict) else {}
    findings = tuple((finding_words(code), str(evidence.get(code, ""))) for code in answer.findings)
    return Entry(answer.created_at, "answer", answer, findings)


def _texts_or_calls(patient: Patient, channel: str) -> list[Entry]:
    inbound = patient.inbound.filter(channel=channel).order_by("-received_at")[:TIMELINE_LIMIT]
    outbound = (
        patient.outbound.filter(channel=channel)
        .exclude(kind=OutboundMessage.Kind.PAGE)
        .order_by("-created_at")[:TIMELINE_LIMIT]
    )
    return [Entry(m.received_at, "in", m) for m in inbound] + [
        Entry(m.created_at, "out", m) for m in outbound
    ]


def _notes(patient: Patient, kind: str | None = None) -> list[Entry]:
    notes = patient.staff_notes.select_related("author").order_by("-created_at")
    if kind is not None:
        notes = notes.filter(kind=kind)
    return [Entry(n.created_at, "note", n) for n in notes[:TIMELINE_LIMIT]]


def timeline(patient: Patient, show: str = "") -> list[Entry]:
    """Everything said and done about the patient, newest first; `show` narrows it to one kind.

    One query per kind whatever the number of rows, so the page stays fast on a long record.
    """
    entries: list[Entry] = []
    if show in ("", "texts"):
        entries += _texts_or_calls(patient, Channel.SMS)
    if show in ("", "calls"):
        entries += _texts_or_calls(patient, Channel.VOICE)
        if show == "calls":
            entries += _notes(patient, StaffNote.Kind.CALL)
    if show in ("", "answers"):
        answers = patient.answers.order_by("-created_at")[:TIMELINE_LIMIT]
        entries += [_answer_entry(a) for a in answers]
    if show in ("", "escalations"):
        events = (
            EscalationEvent.objects.filter(escalation__patient=patient)
            .select_related("actor", "escalation")
            .order_by("-at")[:TIMELINE_LIMIT]
        )
        entries += [Entry(e.at, "event", e) for e in events]
    if show in ("", "notes"):
        entries += _notes(patient)
    if show in ("", "items"):
        items = patient.care_items.select_related("done_by").order_by("-created_at")
        entries += [Entry(i.created_at, "item", i) for i in items[:TIMELINE_LIMIT]]
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
    """Who the roster has on call for the team right now."""
    return roster.on_call(team, timezone.now())


def age(patient: Patient, today: dt.date) -> int:
    born = patient.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
