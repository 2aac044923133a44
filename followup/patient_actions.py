"""What staff do from a patient's page: text, note, call, pause, edit contact, change protocol."""

from typing import Any

from django.db import transaction

from followup import audit, scheduling, sending
from followup.models import Enrollment, OutboundMessage, Patient, Protocol, StaffNote, User

Status = Enrollment.Status

# The enrollment status each action sets, the statuses it starts from, and its audit code.
STATUS_ACTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "pause": (Status.PAUSED, (Status.ACTIVE,), audit.PAUSE),
    "resume": (Status.ACTIVE, (Status.PAUSED,), audit.RESUME),
    "withdraw": (Status.WITHDRAWN, (Status.ACTIVE, Status.PAUSED), audit.WITHDRAW),
}


class ActionRefused(Exception):
    """The action cannot be done for this patient now; the message says why, for staff."""


def text_refusal(patient: Patient) -> str:
    """Why staff may not text the patient now; empty when they may."""
    if patient.anonymised_at is not None:
        return "This record was anonymised after the retention period: there is no number."
    if patient.sms_opted_out_at is not None:
        return "The patient opted out of texts (STOP): call them instead."
    if patient.sms_failed_at is not None:
        return f"Texts cannot reach this number (Twilio error {patient.sms_failed_code}): call."
    return ""


def current_enrollment(patient: Patient) -> Enrollment | None:
    """The enrollment check-ins follow now: active or paused, the newest."""
    return (
        patient.enrollments.filter(status__in=[Status.ACTIVE, Status.PAUSED])
        .select_related("protocol")
        .order_by("-enrolled_at", "-pk")
        .first()
    )


@transaction.atomic
def send_text(
    patient: Patient, body: str, by: User, origin: audit.Origin | None = None
) -> OutboundMessage:
    # Read again under a lock: a STOP may have arrived since the page was drawn.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    refusal = text_refusal(patient)
    if refusal:
        raise ActionRefused(refusal)
    message = OutboundMessage.objects.create(
        patient=patient, to=patient.phone, body=body, kind=OutboundMessage.Kind.OTHER
    )
    sending.send_after_commit(message)
    audit.record(by, audit.SEND_TEXT, patient, f"text {message.pk}", origin=origin)
    return message


@transaction.atomic
def add_note(
    patient: Patient, text: str, kind: str, by: User, origin: audit.Origin | None = None
) -> StaffNote:
    note = StaffNote.objects.create(patient=patient, author=by, kind=kind, text=text)
    action = audit.RECORD_CALL if kind == StaffNote.Kind.CALL else audit.ADD_NOTE
    audit.record(by, action, patient, f"note {note.pk}", origin=origin)
    return note


@transaction.atomic
def change_status(
    patient: Patient, action: str, by: User, origin: audit.Origin | None = None
) -> Enrollment:
    status, starts_from, code = STATUS_ACTIONS[action]
    if status == Status.ACTIVE and patient.consented_at is None:
        # Enrolled without consent: recording it is what starts the follow-up.
        raise ActionRefused(
            "The patient has not consented to texts: record consent first, which starts the "
            "follow-up."
        )
    enrollment = (
        patient.enrollments.select_for_update()
        .filter(status__in=starts_from)
        .order_by("-enrolled_at", "-pk")
        .first()
    )
    if enrollment is None:
        raise ActionRefused(f"No enrollment to {action}.")
    scheduling.set_enrollment_status(enrollment, status)
    audit.record(by, code, patient, f"enrollment {enrollment.pk} {status}", origin=origin)
    return enrollment


@transaction.atomic
def update_contact(
    patient: Patient, changes: dict[str, Any], by: User, origin: audit.Origin | None = None
) -> int:
    """Save changed contact details and preferences; returns the check-ins planned again."""
    if not changes:
        return 0
    if "phone" in changes and patient.sms_failed_at is not None:
        # Twilio's failure was the old number's: the new one may be texted.
        changes = {**changes, "sms_failed_at": None, "sms_failed_code": None}
    for field, value in changes.items():
        setattr(patient, field, value)
    patient.save(update_fields=list(changes))
    audit.record(by, audit.EDIT_CONTACT, patient, " ".join(sorted(changes)), origin=origin)
    if not set(changes) & set(scheduling.PLANNING_FIELDS["patient"]):
        return 0
    enrollments = patient.enrollments.filter(status=Status.ACTIVE).select_related("patient")
    return scheduling.replan_after_change(enrollments)


@transaction.atomic
def change_protocol(
    patient: Patient, protocol: Protocol, by: User, origin: audit.Origin | None = None
) -> Enrollment:
    enrollment = current_enrollment(patient)
    if enrollment is None:
        raise ActionRefused("The patient is not enrolled: there is no protocol to change.")
    if enrollment.protocol_id == protocol.pk:
        raise ActionRefused("The patient already follows this version.")
    old = enrollment.protocol
    enrollment.protocol = protocol
    enrollment.save(update_fields=["protocol"])
    # Only unsent check-ins move; a paused enrollment plans nothing until resumed.
    scheduling.replan_checkins(enrollment)
    detail = f"{old.name} v{old.version} -> {protocol.name} v{protocol.version}"
    audit.record(by, audit.CHANGE_PROTOCOL, patient, detail, origin=origin)
    return enrollment
