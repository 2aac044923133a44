"""Planning check-ins: protocol steps become due times in UTC, in the patient's local time."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from followup import checkins
from followup.models import (
    Channel,
    CheckIn,
    Enrollment,
    OutboundMessage,
    Patient,
    Protocol,
    Surgery,
)
from followup.sending import send_after_commit
from followup.wording import render_message


def local_to_utc(day: dt.date, at: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time; a time skipped by DST moves past the gap."""
    naive = dt.datetime.combine(day, at)
    # fold=0 takes the first of an ambiguous (repeated) hour.
    aware = naive.replace(tzinfo=tz, fold=0)
    utc = aware.astimezone(dt.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        # In a spring-forward gap fold=0 lands past it by the gap's length; the next valid
        # local time is the gap's end, on the hour where DST changes.
        utc = utc.astimezone(tz).replace(minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    return utc


def in_quiet_hours(local: dt.time, start: dt.time, end: dt.time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def due_time(patient: Patient, day: dt.date, at: dt.time) -> dt.datetime:
    """When a check-in planned for `at` on `day` may go out, outside the patient's quiet hours."""
    tz = patient.tz
    due = local_to_utc(day, at, tz)
    local = due.astimezone(tz)
    if in_quiet_hours(local.time(), patient.quiet_start, patient.quiet_end):
        end_day = local.date()
        if local.time() >= patient.quiet_end and patient.quiet_start > patient.quiet_end:
            end_day += dt.timedelta(days=1)
        due = local_to_utc(end_day, patient.quiet_end, tz)
    return due


def plan_checkins(enrollment: Enrollment, now: dt.datetime | None = None) -> list[CheckIn]:
    """Create the enrollment's future check-ins; steps already past are not sent late.

    A post-op day that already had a check-in (sent, answered, failed) gets no second one.
    """
    now = now or timezone.now()
    patient = enrollment.patient
    live = enrollment.checkins.exclude(status=CheckIn.Status.CANCELLED)
    covered_days = set(live.values_list("step__postop_day", flat=True))
    planned = []
    for step in enrollment.protocol.steps.all():
        if step.postop_day in covered_days:
            continue
        day = enrollment.surgery.date + dt.timedelta(days=step.postop_day)
        due = due_time(patient, day, step.send_time)
        if due < now:
            continue
        planned.append(
            CheckIn.objects.create(
                enrollment=enrollment, step=step, due_at=due, questions=list(step.questions)
            )
        )
    return planned


@transaction.atomic
def replan_checkins(enrollment: Enrollment, now: dt.datetime | None = None) -> list[CheckIn]:
    """Plan again after a change (protocol version, surgery date, time zone, quiet hours).

    Only check-ins not yet claimed for sending change; what went out stays as it was.
    """
    now = now or timezone.now()
    checkins.cancel_pending(enrollment, now)
    if enrollment.status != Enrollment.Status.ACTIVE:
        return []
    return plan_checkins(enrollment, now)


# Changing any of these moves when check-ins fall due.
PLANNING_FIELDS = {
    "patient": ("time_zone", "quiet_start", "quiet_end", "preferred_channel"),
    "surgery": ("date",),
    "enrollment": ("protocol", "status"),
}


def replan_after_change(enrollments: Iterable[Enrollment]) -> int:
    """Re-plan the unsent check-ins of enrollments whose patient, surgery or protocol changed."""
    planned = 0
    for enrollment in enrollments:
        if enrollment.status == Enrollment.Status.ACTIVE and not enrollment.checkins.exists():
            # New through the admin: plan and welcome, as enroll() does.
            start_enrollment(enrollment)
        else:
            planned += len(replan_checkins(enrollment))
    return planned


@transaction.atomic
def set_enrollment_status(enrollment: Enrollment, status: str) -> None:
    """Pause, resume, withdraw or complete an enrollment; pending check-ins follow."""
    enrollment.status = status
    enrollment.save(update_fields=["status"])
    replan_checkins(enrollment)


@transaction.atomic
def enroll(patient: Patient, surgery: Surgery, protocol: Protocol | None = None) -> Enrollment:
    """Enroll a patient after surgery on a protocol (the default one unless given); paused,
    waiting for it, when the patient has no consent to texts on record."""
    enrollment = Enrollment.objects.create(
        patient=patient, surgery=surgery, protocol=_or_default(protocol)
    )
    start_enrollment(enrollment)
    return enrollment


def enroll_paused(
    patient: Patient, surgery: Surgery, protocol: Protocol | None = None
) -> Enrollment:
    """Enroll a patient who has not consented to texts: paused, nothing planned or sent until
    staff record consent, which starts it (followup.consent)."""
    return Enrollment.objects.create(
        patient=patient,
        surgery=surgery,
        protocol=_or_default(protocol),
        status=Enrollment.Status.PAUSED,
    )


def _or_default(protocol: Protocol | None) -> Protocol:
    if protocol is not None:
        return protocol
    default = Protocol.objects.default()
    if default is None:
        raise Protocol.DoesNotExist("There is no default protocol: run migrate.")
    return default


def start_enrollment(enrollment: Enrollment) -> None:
    """Plan the check-ins and welcome the patient (sent after commit).

    Consent is never assumed here: it is taken on the enrollment form or recorded on its own
    (followup.consent). Without it the enrollment waits, paused, with nothing planned, and
    recording consent starts it.
    """
    patient = enrollment.patient
    if patient.consented_at is None:
        enrollment.status = Enrollment.Status.PAUSED
        enrollment.save(update_fields=["status"])
        return
    checkins = plan_checkins(enrollment)
    if not checkins or not patient.can_text:
        return
    tz = patient.tz
    first, last = checkins[0].due_at.astimezone(tz), checkins[-1].due_at.astimezone(tz)
    with override(patient.language):
        first_date = date_format(first, "N j" if patient.language == "en" else r"j \d\e F")
    welcome = OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        kind=OutboundMessage.Kind.WELCOME,
        body=render_message(
            "welcome",
            patient.language,
            first_name=patient.first_name,
            team=patient.care_team.name,
            clinic_phone=patient.care_team.clinic_phone,
            count=len(checkins),
            by_call=patient.preferred_channel == Channel.VOICE and patient.accepts_calls,
            weeks=max(1, round((last - first).days / 7)),
            first_date=first_date,
        ),
    )
    send_after_commit(welcome)
