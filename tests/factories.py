"""Small factories: sensible defaults, overrides by keyword."""

import datetime as dt
import itertools

from django.utils import timezone

from followup.models import CareTeam, OutboundMessage, Patient, Surgery, User
from followup.scheduling import enroll

_seq = itertools.count(1)


def make_user(**overrides) -> User:
    n = next(_seq)
    fields = {"username": f"nurse{n}", "role": User.Role.NURSE, "phone": f"+1312555{n:04d}"}
    fields.update(overrides)
    password = fields.pop("password", "correct horse battery")
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def make_team(**overrides) -> CareTeam:
    fields = {"name": f"Spine Center {next(_seq)}", "clinic_phone": "+13125550100"}
    fields.update(overrides)
    return CareTeam.objects.create(**fields)


def make_patient(**overrides) -> Patient:
    n = next(_seq)
    fields = {
        "first_name": "Maria",
        "last_name": f"Lopez{n}",
        "date_of_birth": dt.date(1961, 4, 2),
        "mrn": f"MRN{n:06d}",
        "phone": f"+1773555{n:04d}",
        "time_zone": "America/Chicago",
        "consented_at": timezone.now(),
    }
    fields.update(overrides)
    if "care_team" not in fields:
        fields["care_team"] = make_team()
    return Patient.objects.create(**fields)


def make_surgery(patient: Patient, **overrides) -> Surgery:
    fields = {
        "procedure": Surgery.Procedure.TLIF,
        "levels": "L4-L5",
        "approach": Surgery.Approach.POSTERIOR,
        "date": timezone.localdate() - dt.timedelta(days=3),
    }
    fields.update(overrides)
    if "surgeon" not in fields:
        fields["surgeon"] = make_user(role=User.Role.SURGEON)
    return Surgery.objects.create(patient=patient, **fields)


def make_enrolled_patient(welcomed: bool = True, **overrides):
    """A patient after lumbar fusion, enrolled on the default protocol.

    With `welcomed`, the welcome text counts as already delivered, so tests about later
    messages see only those.
    """
    surgery_overrides = overrides.pop("surgery", {})
    patient = make_patient(**overrides)
    surgery = make_surgery(patient, **surgery_overrides)
    enrollment = enroll(patient, surgery)
    if welcomed:
        OutboundMessage.objects.filter(patient=patient, kind=OutboundMessage.Kind.WELCOME).update(
            status=OutboundMessage.Status.DELIVERED, twilio_sid=f"SM{patient.pk:032x}"
        )
    return patient, enrollment
