"""Enrolling a new patient from the nurse's form: checks, a preview, and the enrollment itself."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from followup import audit, consent, scheduling
from followup.models import (
    CareTeam,
    Channel,
    Enrollment,
    OutboundMessage,
    Patient,
    Protocol,
    Surgery,
    User,
)
from followup.protocols.services import PreviewRow, preview, steps_of
from followup.wording import render_message

# A surgery date outside this window is almost always a typo (a wrong year, a wrong month).
OLDEST_SURGERY = dt.timedelta(days=365)
LATEST_SURGERY = dt.timedelta(days=90)
ANOTHER_TEAM = "This MRN is already enrolled by another care team."
CONSENT_METHODS = consent.CONSENT_METHODS
PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "mrn",
    "phone",
    "language",
    "time_zone",
    "caregiver_name",
    "caregiver_phone",
    "preferred_channel",
    "accepts_calls",
    "care_team",
)


@dataclass(frozen=True)
class MrnClash:
    """An MRN already on file: the patient when the user may see it, else None."""

    patient: Patient | None


def mrn_clash(mrn: str, user: User) -> MrnClash | None:
    existing = Patient.objects.filter(mrn__iexact=mrn).first()
    if existing is None:
        return None
    # Another team's patient: the clash is reported, nothing about the patient is.
    mine = Patient.objects.for_user(user).filter(pk=existing.pk).exists()
    return MrnClash(existing if mine else None)


def shares_phone(phone: str) -> bool:
    """Another patient (or caregiver) has this number: replies would be ambiguous."""
    return (
        Patient.objects.filter(phone=phone).exists()
        or Patient.objects.filter(caregiver_phone=phone).exists()
    )


def another_team_uses(number: str, team_id: int | None, patient_id: int | None = None) -> bool:
    """A patient of another care team has this number, or a caregiver of one does: replies
    from it would match no patient, and that team's red flags would open no escalation."""
    if not number:
        return False
    users = Patient.objects.filter(Q(phone=number) | Q(caregiver_phone=number))
    if patient_id is not None:
        users = users.exclude(pk=patient_id)
    return users.exclude(care_team_id=team_id).exists()


ANOTHER_TEAMS_NUMBER = (
    "A patient of another care team (or their caregiver) has this number: replies could not be "
    "told apart. Check the number with the patient."
)


def surgery_date_problem(day: dt.date, today: dt.date) -> str | None:
    if day < today - OLDEST_SURGERY:
        return "The surgery date is more than a year ago."
    if day > today + LATEST_SURGERY:
        return "The surgery date is more than 90 days ahead."
    return None


def _welcome(patient: Patient, team: CareTeam, rows: list[PreviewRow]) -> str:
    """The welcome text, worded as scheduling.start_enrollment words it."""
    first, last = rows[0].due, rows[-1].due
    with override(patient.language):
        first_date = date_format(first, "N j" if patient.language == "en" else r"j \d\e F")
    return render_message(
        "welcome",
        patient.language,
        first_name=patient.first_name,
        team=team.name,
        clinic_phone=team.clinic_phone,
        count=len(rows),
        by_call=patient.preferred_channel == Channel.VOICE and patient.accepts_calls,
        weeks=max(1, round((last - first).days / 7)),
        first_date=first_date,
    )


@dataclass(frozen=True)
class EnrollmentPreview:
    rows: list[PreviewRow]
    welcome: str


def preview_enrollment(
    patient_fields: dict[str, Any], protocol: Protocol, surgery_date: dt.date
) -> EnrollmentPreview:
    """The check-ins still to come and the welcome text, nothing saved."""
    patient = Patient(**patient_fields)
    now = timezone.now()
    planned = preview(steps_of(protocol), surgery_date, patient.time_zone).rows
    rows = [row for row in planned if row.due >= now]
    return EnrollmentPreview(rows, _welcome(patient, patient.care_team, rows) if rows else "")


def _hold_welcome_for_quiet_hours(patient: Patient, now: dt.datetime) -> None:
    local = now.astimezone(patient.tz)
    allowed = scheduling.due_time(patient, local.date(), local.time())
    if allowed > now:
        # The send task finds it not yet due; the sweep of due messages sends it at quiet end.
        OutboundMessage.objects.filter(
            patient=patient, kind=OutboundMessage.Kind.WELCOME, status=OutboundMessage.Status.QUEUED
        ).update(next_attempt_at=allowed)


@transaction.atomic
def enroll_patient(
    patient_fields: dict[str, Any],
    surgery_fields: dict[str, Any],
    protocol: Protocol,
    consent_at: dt.datetime | None,
    consent_method: str,
    by: User,
    origin: audit.Origin | None = None,
) -> Enrollment:
    """Save the patient, the surgery and the enrollment; welcome only a consenting patient.

    Without consent the enrollment starts paused: no check-ins are planned and nothing is
    sent until staff record consent, which starts it (consent.record_consent).
    """
    patient = Patient.objects.create(**patient_fields, consented_at=consent_at)
    surgery = Surgery.objects.create(patient=patient, **surgery_fields)
    if consent_at is None:
        enrollment = scheduling.enroll_paused(patient, surgery, protocol)
        detail = f"enrollment {enrollment.pk}: no consent to texts yet, paused"
    else:
        enrollment = scheduling.enroll(patient, surgery, protocol)
        _hold_welcome_for_quiet_hours(patient, timezone.now())
        detail = f"enrollment {enrollment.pk}: consent to texts {consent_method}"
    audit.record(by, audit.ENROLL, patient, detail, origin=origin)
    return enrollment
