"""Consent to texts: carrier keywords (STOP, START, HELP and Spanish forms), numbers that fail."""

import datetime as dt
import enum

from django.utils import timezone

from followup import audit, checkins
from followup.care import raise_care_item
from followup.models import CareItem, Patient, User
from followup.wording import render_message


class Keyword(enum.Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"


# How a patient gave consent to texts, when staff record it (enrollment, import).
CONSENT_METHODS = [("in_person", "In person"), ("by_phone", "By phone"), ("written", "Written")]

# Whole-message keywords, as carriers match them: the entire body, any case.
ENGLISH = {
    **dict.fromkeys(
        ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"],
        Keyword.STOP,
    ),
    **dict.fromkeys(["start", "unstop"], Keyword.START),
    **dict.fromkeys(["help", "info"], Keyword.HELP),
}
SPANISH = {
    **dict.fromkeys(["parar", "alto", "detener", "cancelar", "baja"], Keyword.STOP),
    **dict.fromkeys(["iniciar", "comenzar", "reanudar"], Keyword.START),
    **dict.fromkeys(["ayuda"], Keyword.HELP),
}
OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START, "HELP": Keyword.HELP}
# "Yes" opts back in with Twilio only after a STOP; otherwise it answers a question.
OPT_IN_WHEN_OPTED_OUT = {"yes", "si", "sí"}

# Twilio errors meaning texts to the number can never arrive.
OPTED_OUT_ERROR = 21610
NUMBER_FAILURES = frozenset({OPTED_OUT_ERROR, 21211, 21614, 30005, 30006})


def classify(
    body: str, opt_out_type: str = "", opted_out: bool = False
) -> tuple[Keyword, bool] | None:
    """The keyword a message is, and whether Twilio already answered it; None for anything else."""
    if opt_out_type.upper() in OPT_OUT_TYPES:
        # Advanced Opt-Out matched it and sent its own reply.
        return OPT_OUT_TYPES[opt_out_type.upper()], True
    word = body.strip().lower()
    if word in ENGLISH:
        # Twilio answers the standard English keywords itself, except that HELP's default
        # reply cannot give the clinic's number.
        return ENGLISH[word], ENGLISH[word] is not Keyword.HELP
    if word in SPANISH:
        return SPANISH[word], False
    if opted_out and word in OPT_IN_WHEN_OPTED_OUT:
        return Keyword.START, word == "yes"
    return None


def record_consent(patient: Patient, by: User, origin: audit.Origin | None = None) -> bool:
    """Staff took the patient's consent to texts (again): texting may start or resume.

    Clears an opt-out, which only the patient's own word may do; returns False when nothing
    changed. Recorded in the audit trail, with the request's `origin` where there is one.
    """
    now = timezone.now()
    changed = (
        Patient.objects.filter(pk=patient.pk)
        .exclude(consented_at__isnull=False, sms_opted_out_at=None)
        .update(consented_at=now, sms_opted_out_at=None)
    )
    if changed:
        # Enrollments fetched through `patient` share this instance: it must say so too.
        patient.consented_at, patient.sms_opted_out_at = now, None
        audit.record(by, audit.RECORD_CONSENT, patient, "consent to texts recorded", origin=origin)
        _start_waiting_enrollments(patient)
    return bool(changed)


def record_written_consent(
    patient: Patient,
    when: dt.datetime,
    method: str,
    by: User | None,
    origin: audit.Origin | None = None,
) -> bool:
    """Consent given at `when` (a form or a file says so) for a patient who has none on record:
    the follow-up waiting for it starts. False when consent was already on record."""
    changed = Patient.objects.filter(pk=patient.pk, consented_at=None).update(consented_at=when)
    if changed:
        patient.consented_at = when
        audit_written_consent(patient, when, method, by, origin)
        _start_waiting_enrollments(patient)
    return bool(changed)


def audit_written_consent(
    patient: Patient,
    when: dt.datetime,
    method: str,
    by: User | None,
    origin: audit.Origin | None = None,
) -> None:
    """The audit trail's entry for consent given at `when` that a form or a file records."""
    detail = f"{method} consent of {when:%Y-%m-%d}"
    audit.record(by, audit.RECORD_CONSENT, patient, detail, origin=origin)


def _start_waiting_enrollments(patient: Patient) -> None:
    """Enrolled without consent, nothing was planned or sent: now the follow-up starts."""
    from followup.models import Enrollment
    from followup.scheduling import replan_after_change  # scheduling sends; sending needs us

    waiting = patient.enrollments.filter(status=Enrollment.Status.PAUSED, checkins=None)
    for enrollment in waiting:
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.save(update_fields=["status"])
        replan_after_change([enrollment])


def record_phone_opt_out(patient: Patient, by: User, origin: audit.Origin | None = None) -> bool:
    """The patient asked by phone (not by text) to stop texts: the same as STOP, recorded."""
    now = timezone.now()
    if not Patient.objects.filter(pk=patient.pk, sms_opted_out_at=None).update(
        sms_opted_out_at=now
    ):
        return False
    checkins.cancel_awaiting(patient, now)
    detail = "opt-out from texts given by phone"
    audit.record(by, audit.RECORD_OPT_OUT, patient, detail, origin=origin)
    return True


def apply_keyword(patient: Patient, keyword: Keyword, twilio_replied: bool) -> str:
    """Record what the keyword means for the patient; returns our reply ("" when none is due)."""
    now = timezone.now()
    team = patient.care_team
    if keyword is Keyword.STOP:
        if patient.sms_opted_out_at is None:
            patient.sms_opted_out_at = now
            patient.save(update_fields=["sms_opted_out_at"])
        checkins.cancel_awaiting(patient, now)
        raise_care_item(patient, CareItem.Kind.OPTED_OUT, "Replied STOP: texts stopped.")
        name = "keyword_stop"
    elif keyword is Keyword.START:
        patient.sms_opted_out_at = None
        patient.save(update_fields=["sms_opted_out_at"])
        name = "keyword_start"
    else:
        name = "keyword_help"
    if twilio_replied and keyword is not Keyword.HELP:
        return ""
    # Carriers want the program's name in every keyword reply.
    return render_message(name, patient.language, team=team.name, clinic_phone=team.clinic_phone)


def record_failed_number(patient: Patient, code: int) -> None:
    """Twilio says texts cannot reach the patient: stop texting and ask staff to call."""
    now = timezone.now()
    if code == OPTED_OUT_ERROR:
        if patient.sms_opted_out_at is None:
            Patient.objects.filter(pk=patient.pk).update(sms_opted_out_at=now)
        raise_care_item(
            patient, CareItem.Kind.OPTED_OUT, "Twilio reports this number opted out (21610)."
        )
        return
    Patient.objects.filter(pk=patient.pk, sms_failed_at=None).update(
        sms_failed_at=now, sms_failed_code=code
    )
    raise_care_item(
        patient,
        CareItem.Kind.SMS_FAILED,
        f"Texts fail with Twilio error {code}: check the number, or offer voice check-ins.",
    )
