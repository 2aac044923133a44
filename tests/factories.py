"""Small factories: sensible defaults, overrides by keyword."""

import datetime as dt
import functools
import itertools
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from followup.models import CareTeam, OutboundMessage, Patient, Surgery, User
from followup.scheduling import enroll

_seq = itertools.count(1)


@functools.cache
def hashed(password: str | None) -> str:
    """A real hash of `password` (any process of the app can check it), made once per process:
    hashing is slow on purpose, and most tests make several users with the same password."""
    return make_password(password)


def make_user(**overrides) -> User:
    n = next(_seq)
    fields = {"username": f"nurse{n}", "role": User.Role.NURSE, "phone": f"+1312555{n:04d}"}
    fields.update(overrides)
    password = fields.pop("password", "correct horse battery")
    user = User(**fields, password=hashed(password))
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


def daytime(now: dt.datetime | None = None) -> dict[str, object]:
    """Overrides for a patient where it is about midday now, operated on that day.

    Quiet hours and the end of the day (which close unanswered check-ins and send closing texts)
    then fall hours away whatever the hour a test runs at, and the default protocol's 15 steps
    all lie ahead.
    """
    utc = (now or timezone.now()).astimezone(dt.UTC)
    ahead = 12 - utc.hour  # hours ahead of UTC: -11 to +12, all real offsets
    # Etc/GMT's signs are POSIX's, the other way round: Etc/GMT-3 is three hours ahead of UTC.
    zone = "Etc/GMT" if ahead == 0 else f"Etc/GMT{-ahead:+d}"
    local = utc.astimezone(zoneinfo.ZoneInfo(zone))
    return {"time_zone": zone, "surgery": {"date": local.date()}}


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


def make_history(patient: Patient, enrollment, resolved: bool = True) -> dict:
    """A follow-up's worth of rows about `patient`, dated now (travel in time for older ones).

    A reply naming a symptom with a photo, its answer and escalation (resolved unless told),
    a page to the on-call nurse, a staff note, a call and a care item: every kind of row that can
    carry the patient's words, name or number.
    """
    from followup.models import (
        Answer,
        CareItem,
        CheckIn,
        Escalation,
        EscalationEvent,
        InboundMessage,
        StaffNote,
    )

    nurse = make_user(password=None)
    checkin = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=checkin.pk).update(
        status=CheckIn.Status.ESCALATED, sent_at=timezone.now(), closed_at=timezone.now()
    )
    words = f"{patient.first_name} here, my leg is numb and the wound is red"
    reply = InboundMessage.objects.create(
        message_sid=f"SM{next(_seq):032x}",
        from_number=patient.phone,
        to_number="+15005550006",
        body=words,
        media_urls=[f"https://api.twilio.com/media/{patient.last_name}.jpg"],
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        checkin=checkin,
        question="general",
        assessment={"findings": ["numbness"], "evidence": {"numbness": words}},
        processed_at=timezone.now(),
    )
    answer = Answer.objects.create(
        patient=patient,
        checkin=checkin,
        message=reply,
        question="general",
        findings=["numbness"],
        severity=2,
        evidence={"numbness": words},
    )
    escalation = Escalation.objects.create(
        patient=patient,
        severity=2,
        findings=["numbness"],
        evidence={"numbness": words},
        status=Escalation.Status.RESOLVED if resolved else Escalation.Status.OPEN,
        acknowledged_at=timezone.now() if resolved else None,
        acknowledged_by=nurse if resolved else None,
        resolved_at=timezone.now() if resolved else None,
        resolved_by=nurse if resolved else None,
        outcome=Escalation.Outcome.CLINIC_VISIT if resolved else "",
        outcome_note=f"Saw {patient.first_name} {patient.last_name} in clinic" if resolved else "",
    )
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EscalationEvent.Kind.OPENED,
        message=reply,
        note=f"called {patient.phone}",
    )
    OutboundMessage.objects.create(
        to=nurse.phone,
        body=f"Urgent: {patient.first_name} {patient.last_name}, call {patient.phone}",
        kind=OutboundMessage.Kind.PAGE,
        escalation=escalation,
        staff=nurse,
        status=OutboundMessage.Status.DELIVERED,
    )
    OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        body=f"Thank you {patient.first_name}, a nurse will call you",
        kind=OutboundMessage.Kind.SAFETY,
        in_reply_to=reply,
        error_message=f"21610: {patient.phone} unsubscribed",
        status=OutboundMessage.Status.DELIVERED,
    )
    StaffNote.objects.create(
        patient=patient, author=nurse, text=f"{patient.first_name} lives with her daughter"
    )
    CareItem.objects.create(
        patient=patient,
        kind=CareItem.Kind.NO_RESPONSE,
        detail=f"No reply from {patient.first_name}: call {patient.caregiver_phone}",
        done_at=timezone.now(),
        done_by=nurse,
    )
    return {"reply": reply, "answer": answer, "escalation": escalation, "nurse": nurse}
