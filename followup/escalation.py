"""Escalations: open or update one per patient, acknowledge, resolve; every step recorded."""

import contextlib
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from followup import metrics
from followup.models import (
    Answer,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    Severity,
    User,
)
from followup.paging import schedule_ladder

Event = EscalationEvent.Kind


class EscalationStateError(ValueError):
    """An action that does not fit the escalation's state (e.g. acknowledging a resolved one)."""


def record_report(patient: Patient, answer: Answer, message: InboundMessage) -> Escalation:
    """Open an escalation for a red-flag answer, or attach it to the patient's unresolved one."""
    current = (
        Escalation.objects.select_for_update()
        .filter(patient=patient)
        .exclude(status=Escalation.Status.RESOLVED)
        .first()
    )
    if current is None:
        try:
            with transaction.atomic():
                return _open(patient, answer, message)
        except IntegrityError:
            # Another worker opened one for this patient a moment ago: attach to it.
            current = (
                Escalation.objects.select_for_update()
                .filter(patient=patient)
                .exclude(status=Escalation.Status.RESOLVED)
                .get()
            )
    return _attach(current, answer, message)


def _open(patient: Patient, answer: Answer, message: InboundMessage) -> Escalation:
    escalation = Escalation.objects.create(
        patient=patient,
        severity=answer.severity,
        needs_review=answer.needs_review,
        findings=list(answer.findings),
        evidence=dict(answer.evidence),
    )
    EscalationEvent.objects.create(escalation=escalation, kind=Event.OPENED, message=message)
    schedule_ladder(escalation, timezone.now())
    escalation.save(update_fields=["page_level", "next_page_at"])
    return escalation


def _attach(escalation: Escalation, answer: Answer, message: InboundMessage) -> Escalation:
    new_codes = [code for code in answer.findings if code not in escalation.findings]
    escalation.findings = [*escalation.findings, *new_codes]
    for code, words in answer.evidence.items():
        quoted = escalation.evidence.get(code)
        escalation.evidence[code] = (
            words if not quoted or words in quoted else f"{quoted} / {words}"
        )
    kind = Event.ATTACHED
    if answer.severity > escalation.severity:
        escalation.severity = answer.severity
        kind = Event.UPGRADED
    escalation.needs_review = escalation.needs_review and answer.needs_review
    reopened = escalation.status == Escalation.Status.ACKNOWLEDGED and (
        new_codes or kind == Event.UPGRADED
    )
    if reopened:
        # Something new since a nurse took it: it needs eyes again.
        escalation.status = Escalation.Status.OPEN
        escalation.acknowledged_at = None
        escalation.acknowledged_by = None
        EscalationEvent.objects.create(escalation=escalation, kind=Event.REOPENED, message=message)
    if reopened or kind == Event.UPGRADED:
        # A higher tier or a re-opening restarts the ladder from the bottom.
        schedule_ladder(escalation, timezone.now())
    escalation.save()
    EscalationEvent.objects.create(escalation=escalation, kind=kind, message=message)
    return escalation


@transaction.atomic
def acknowledge(escalation_id: int, user: User, at: dt.datetime | None = None) -> bool:
    """`user` takes the escalation on at `at` (now; a press of 1 replayed keeps its own time);
    False when someone had acknowledged it already, which stays as it was."""
    escalation = Escalation.objects.select_for_update().get(id=escalation_id)
    if escalation.status == Escalation.Status.RESOLVED:
        raise EscalationStateError("This escalation is already resolved.")
    if escalation.status == Escalation.Status.OPEN:
        escalation.status = Escalation.Status.ACKNOWLEDGED
        escalation.acknowledged_at = at or timezone.now()
        _acknowledged(escalation)
        escalation.acknowledged_by = user
        escalation.next_page_at = None
        escalation.save(
            update_fields=["status", "acknowledged_at", "acknowledged_by", "next_page_at"]
        )
        EscalationEvent.objects.create(
            escalation=escalation,
            kind=Event.ACKNOWLEDGED,
            actor=user,
            at=escalation.acknowledged_at,
        )
        return True
    return False


def acknowledge_page(page: OutboundMessage, at: dt.datetime | None = None) -> bool:
    """The paged clinician pressed 1 on the page's call; False if the page names no one to ack.

    An escalation acknowledged or resolved meanwhile stays as it is.
    """
    if page.escalation_id is None or page.staff is None:
        return False
    with contextlib.suppress(EscalationStateError):  # resolved meanwhile: nothing to take on
        acknowledge(page.escalation_id, page.staff, at)
    return True


def _acknowledged(escalation: Escalation) -> None:
    if escalation.acknowledged_at is not None:
        severity = Severity(escalation.severity).label
        metrics.acknowledged(severity, escalation.opened_at, escalation.acknowledged_at)


def assign(escalation_id: int, user: User) -> bool:
    """The user takes an unresolved escalation on; False when it was resolved meanwhile."""
    unresolved = Escalation.objects.filter(pk=escalation_id).exclude(
        status=Escalation.Status.RESOLVED
    )
    return unresolved.update(assigned_to=user) == 1


@transaction.atomic
def resolve(escalation_id: int, user: User, outcome: str, note: str = "") -> Escalation:
    escalation = Escalation.objects.select_for_update().get(id=escalation_id)
    if escalation.status == Escalation.Status.RESOLVED:
        raise EscalationStateError("This escalation is already resolved.")
    now = timezone.now()
    if escalation.acknowledged_at is None:
        # Resolving implies someone looked at it.
        escalation.acknowledged_at = now
        escalation.acknowledged_by = user
        _acknowledged(escalation)
    escalation.status = Escalation.Status.RESOLVED
    escalation.resolved_at = now
    escalation.resolved_by = user
    escalation.outcome = outcome
    escalation.outcome_note = note
    escalation.next_page_at = None
    escalation.save()
    EscalationEvent.objects.create(
        escalation=escalation, kind=Event.RESOLVED, actor=user, note=note
    )
    return escalation
