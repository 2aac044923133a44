"""Seeding the demo: staff, a care team and patients with histories, through the real services."""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from followup import checkins, conversation, inbound, sending
from followup.dashboard import messages_needing_review
from followup.demo.data import (
    APPROACHES,
    CAREGIVERS,
    DEMO_PASSWORD,
    DUE_SOON_DELAY,
    DUE_SOON_MRN,
    NURSE_EXTRA_PERMISSIONS,
    PAST_REPLIES,
    PATIENTS,
    RED_FLAG_REPLIES,
    REPLY_DELAY_MINUTES,
    STAFF,
    TEAM,
    UNKNOWN_SENDER,
    UNKNOWN_SENDER_TEXT,
    DemoPatient,
)
from followup.models import (
    Answer,
    CareItem,
    CareTeam,
    CheckIn,
    Enrollment,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    ProtocolStep,
    Question,
    Severity,
    Shift,
    Surgery,
    User,
)
from followup.scheduling import due_time, enroll
from followup.twilio_params import Params
from followup.wording import render_message


def seed_demo(now: dt.datetime) -> int:
    """Create whatever demo data is missing; returns how many patients were new."""
    staff = seed_staff()
    team = seed_team(staff)
    seed_roster(team, staff, now)
    created = [entry.mrn for entry in PATIENTS if seed_patient(entry, team, staff["surgeon"], now)]
    if created:
        seed_program_history(team, staff["nurse"], now)
    seed_unknown_sender()
    return len(created)


def seed_staff() -> dict[str, User]:
    staff = {}
    for username, first, last, role, phone, is_staff, is_superuser in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                role=role,
                phone=phone,
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            if role == User.Role.NURSE:
                user.user_permissions.set(nurse_permissions())
        staff[username] = user
    return staff


def nurse_permissions() -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="followup").filter(
            Q(codename__startswith="view_") | Q(codename__in=NURSE_EXTRA_PERMISSIONS)
        )
    )


def seed_team(staff: dict[str, User]) -> CareTeam:
    team = CareTeam.objects.filter(name=TEAM["name"]).first()
    if team is None:
        team = CareTeam(**TEAM, on_call=staff["nurse"], backup=staff["surgeon"])
        team.full_clean()
        team.save()
        team.members.set([staff["nurse"], staff["surgeon"]])
    return team


# Weeks of roster seeded ahead; the last week's shifts run on, so the demo never has a gap.
ROSTER_WEEKS = 4


def seed_roster(team: CareTeam, staff: dict[str, User], now: dt.datetime) -> None:
    """The nurse and the surgeon take turns on call week by week, the other as backup."""
    if team.shifts.exists():
        return
    pair = [staff["nurse"], staff["surgeon"]]
    for week in range(ROSTER_WEEKS):
        starts = now + dt.timedelta(weeks=week)
        ends = None if week == ROSTER_WEEKS - 1 else starts + dt.timedelta(weeks=1)
        on_call, backup = pair[week % 2], pair[(week + 1) % 2]
        for user, role in ((on_call, Shift.Role.ON_CALL), (backup, Shift.Role.BACKUP)):
            Shift.objects.create(
                care_team=team, user=user, role=role, starts_at=starts, ends_at=ends
            )


@transaction.atomic
def seed_patient(entry: DemoPatient, team: CareTeam, surgeon: User, now: dt.datetime) -> bool:
    """Create one patient with surgery, enrollment and history; False when already seeded."""
    if Patient.objects.filter(mrn=entry.mrn).exists():
        return False
    patient = create_patient(entry, team, now)
    surgery_date = now.astimezone(patient.tz).date() - dt.timedelta(days=entry.postop_day)
    surgery = Surgery.objects.create(
        patient=patient,
        procedure=entry.procedure,
        levels=entry.levels,
        approach=APPROACHES[entry.procedure],
        date=surgery_date,
        surgeon=surgeon,
    )
    enrollment = enroll(patient, surgery)
    live_step = enrollment.protocol.steps.filter(postop_day=entry.postop_day).first()
    for step in enrollment.protocol.steps.filter(postop_day__lte=entry.postop_day):
        due = due_time(patient, surgery_date + dt.timedelta(days=step.postop_day), step.send_time)
        if step != live_step and due < now:
            write_past_checkin(enrollment, step, due)
    if entry.mrn in RED_FLAG_REPLIES and live_step is not None:
        reply_with_red_flags(enrollment, live_step, RED_FLAG_REPLIES[entry.mrn], now)
    if entry.mrn == DUE_SOON_MRN and live_step is not None:
        schedule_soon(enrollment, live_step, now + DUE_SOON_DELAY)
    return True


def create_patient(entry: DemoPatient, team: CareTeam, now: dt.datetime) -> Patient:
    caregiver_name, caregiver_phone = CAREGIVERS.get(entry.mrn, ("", ""))
    patient = Patient(
        first_name=entry.first_name,
        last_name=entry.last_name,
        date_of_birth=dt.date.fromisoformat(entry.born),
        mrn=entry.mrn,
        phone=entry.phone,
        language=entry.language,
        time_zone=team.time_zone,
        consented_at=now - dt.timedelta(days=entry.postop_day + 7),
        care_team=team,
        caregiver_name=caregiver_name,
        caregiver_phone=caregiver_phone,
    )
    patient.full_clean()
    patient.save()
    return patient


def write_past_checkin(enrollment: Enrollment, step: ProtocolStep, due: dt.datetime) -> None:
    """A completed check-in, backdated: the services stamp "now", so history is written here.

    A few are missed instead (asked, never answered, a call-list item done), as happens.
    """
    patient = enrollment.patient
    if _missed(patient, step):
        write_missed_checkin(enrollment, step, due)
        return
    checkin = CheckIn.objects.create(
        enrollment=enrollment,
        step=step,
        due_at=due,
        status=CheckIn.Status.COMPLETED,
        questions=list(step.questions),
        question_index=len(step.questions),
        sent_at=due,
    )
    at = due
    for index, question in enumerate(step.questions):
        intro = "" if index else intro_text(patient)
        body = f"{intro} {render_message(f'question_{question}', patient.language)}".strip()
        past_outbound(patient, checkin, body, OutboundMessage.Kind.QUESTION, at, question)
        at += dt.timedelta(minutes=REPLY_DELAY_MINUTES[(index + step.postop_day) % 6])
        past_reply(patient, checkin, question, step.postop_day, at)
        at += dt.timedelta(seconds=5)
    closing = render_message(
        "closing", patient.language, clinic_phone=patient.care_team.clinic_phone
    )
    past_outbound(patient, checkin, closing, OutboundMessage.Kind.CLOSING, at)
    checkin.closed_at = at
    checkin.save(update_fields=["closed_at"])


def _missed(patient: Patient, step: ProtocolStep) -> bool:
    # Now and then, past the first week, a patient leaves a day unanswered.
    return step.postop_day in (9, 21) and (len(patient.last_name) + step.postop_day) % 4 == 0


def write_missed_checkin(enrollment: Enrollment, step: ProtocolStep, due: dt.datetime) -> None:
    patient = enrollment.patient
    end = due + dt.timedelta(hours=10)
    checkin = CheckIn.objects.create(
        enrollment=enrollment,
        step=step,
        due_at=due,
        status=CheckIn.Status.MISSED,
        questions=list(step.questions),
        sent_at=due,
        reminded_at=due + dt.timedelta(hours=4),
        closed_at=end,
    )
    question = step.questions[0]
    body = f"{intro_text(patient)} {render_message(f'question_{question}', patient.language)}"
    past_outbound(patient, checkin, body, OutboundMessage.Kind.QUESTION, due, question)
    CareItem.objects.create(
        patient=patient,
        kind=CareItem.Kind.NO_RESPONSE,
        detail=f"No reply to the {due.astimezone(patient.tz):%b %-d} check-in.",
        created_at=end,
        done_at=end + dt.timedelta(hours=14),
    )


# Past red flags, each acknowledged after these many minutes and resolved: what the reports
# and the archive show (median, 90th percentile, outcomes).
PAST_ESCALATIONS = [
    (4, "fever", "I had 101.2 last night", Severity.URGENT, Escalation.Outcome.ADVICE),
    (
        7,
        "wound",
        "the incision is red and leaking",
        Severity.URGENT,
        Escalation.Outcome.CLINIC_VISIT,
    ),
    (12, "numbness", "my left foot went numb", Severity.URGENT, Escalation.Outcome.CLINIC_VISIT),
    (
        3,
        "bladder",
        "I could not pee all morning",
        Severity.EMERGENCY,
        Escalation.Outcome.ADVISED_ED,
    ),
    (25, "severe_pain", "pain is a 9 today", Severity.URGENT, Escalation.Outcome.ADVICE),
    (9, "dvt", "my calf is swollen and sore", Severity.URGENT, Escalation.Outcome.CLINIC_VISIT),
    (6, "fever", "tengo fiebre de 38.5", Severity.URGENT, Escalation.Outcome.NO_ACTION),
    (15, "fall", "I slipped in the shower", Severity.URGENT, Escalation.Outcome.UNREACHABLE),
]


def seed_program_history(team: CareTeam, nurse: User, now: dt.datetime) -> None:
    """Resolved escalations of past weeks and one patient who opted out by text."""
    older = [
        p
        for p in Patient.objects.filter(care_team=team).order_by("mrn")
        if (p.postop_day(now) or 0) >= 14 and not p.escalations.exists()
    ]
    for patient, (minutes, code, words, severity, outcome) in zip(
        older, PAST_ESCALATIONS, strict=False
    ):
        opened = now - dt.timedelta(days=3 + 2 * (minutes % 9), hours=minutes % 5)
        acknowledged = opened + dt.timedelta(minutes=minutes)
        resolved = acknowledged + dt.timedelta(minutes=20 + minutes)
        escalation = Escalation.objects.create(
            patient=patient,
            severity=severity,
            findings=[code],
            evidence={code: words},
            status=Escalation.Status.RESOLVED,
            opened_at=opened,
            acknowledged_at=acknowledged,
            acknowledged_by=nurse,
            resolved_at=resolved,
            resolved_by=nurse,
            outcome=outcome,
        )
        for kind, at in (
            (EscalationEvent.Kind.OPENED, opened),
            (EscalationEvent.Kind.ACKNOWLEDGED, acknowledged),
            (EscalationEvent.Kind.RESOLVED, resolved),
        ):
            actor = None if kind == EscalationEvent.Kind.OPENED else nurse
            EscalationEvent.objects.create(escalation=escalation, kind=kind, actor=actor, at=at)
    quiet = [p for p in older[len(PAST_ESCALATIONS) :] if p.mrn != DUE_SOON_MRN]
    if quiet:
        opted_out = quiet[-1]
        when = now - dt.timedelta(days=4)
        Patient.objects.filter(pk=opted_out.pk).update(sms_opted_out_at=when)
        CareItem.objects.create(
            patient=opted_out,
            kind=CareItem.Kind.OPTED_OUT,
            detail="Replied STOP: texts stopped.",
            created_at=when,
            done_at=when + dt.timedelta(hours=3),
            done_by=nurse,
        )


def intro_text(patient: Patient) -> str:
    return render_message(
        "intro", patient.language, first_name=patient.first_name, team=patient.care_team.name
    )


def past_outbound(
    patient: Patient, checkin: CheckIn, body: str, kind: str, at: dt.datetime, question: str = ""
) -> None:
    OutboundMessage.objects.create(
        patient=patient,
        to=patient.phone,
        body=body,
        kind=kind,
        checkin=checkin,
        question=question,
        twilio_sid="SM" + uuid.uuid4().hex,
        status=OutboundMessage.Status.DELIVERED,
        attempts=1,
        created_at=at,
        sent_at=at,
        status_updated_at=at + dt.timedelta(seconds=4),
    )


def past_reply(
    patient: Patient, checkin: CheckIn, question: str, postop_day: int, at: dt.datetime
) -> None:
    choices = PAST_REPLIES[patient.language][question]
    pain = max(1, 6 - postop_day // 10) if question == Question.PAIN else None
    body = choices[(postop_day + len(patient.last_name)) % len(choices)].format(pain=pain)
    # The shape of triage's Assessment.to_dict(): these replies carry no red flags.
    assessment = {
        "findings": [],
        "severity": "none",
        "needs_review": False,
        "pain_score": pain,
        "evidence": {},
        "rules": {},
    }
    message = InboundMessage.objects.create(
        message_sid="SM" + uuid.uuid4().hex,
        from_number=patient.phone,
        to_number=settings.TWILIO_FROM_NUMBER,
        body=body,
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        checkin=checkin,
        question=question,
        assessment=assessment,
        received_at=at,
        processed_at=at + dt.timedelta(seconds=1),
    )
    Answer.objects.create(
        patient=patient,
        checkin=checkin,
        message=message,
        question=question,
        pain_score=pain,
        created_at=at,
    )


def reply_with_red_flags(
    enrollment: Enrollment, step: ProtocolStep, replies: list[str], now: dt.datetime
) -> None:
    """Send today's check-in and answer it through the webhook's services, as a phone would."""
    start_checkin(enrollment, step, now)
    patient = enrollment.patient
    for n, body in enumerate(replies):
        receive(patient.phone, body, stable_sid(patient.mrn, n))


def start_checkin(enrollment: Enrollment, step: ProtocolStep, now: dt.datetime) -> None:
    checkin, _ = CheckIn.objects.get_or_create(
        enrollment=enrollment,
        step=step,
        defaults={"due_at": now, "questions": list(step.questions)},
    )
    CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.PENDING).update(due_at=now)
    message = checkins.claim(checkin.pk, now)
    if message is not None:
        sending.send_message(message.pk)


def receive(from_number: str, body: str, sid: str) -> None:
    params = {
        "MessageSid": sid,
        "AccountSid": settings.TWILIO_ACCOUNT_SID,
        "From": from_number,
        "To": settings.TWILIO_FROM_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }
    received = inbound.receive_sms(Params(params))
    # The worker would do this a second later; doing it now makes the seed complete at once.
    conversation.process_inbound(received.message.pk)


def stable_sid(key: str, n: int) -> str:
    """A MessageSid that is the same on every run, so a re-run is recognised as a duplicate."""
    return "SM" + hashlib.sha256(f"demo:{key}:{n}".encode()).hexdigest()[:32]


def schedule_soon(enrollment: Enrollment, step: ProtocolStep, due: dt.datetime) -> None:
    # Outside the patient's quiet hours or not: a demo should show a text within a minute or two.
    CheckIn.objects.update_or_create(
        enrollment=enrollment,
        step=step,
        defaults={"due_at": due, "questions": list(step.questions)},
    )


def seed_unknown_sender() -> None:
    receive(UNKNOWN_SENDER, UNKNOWN_SENDER_TEXT, stable_sid(UNKNOWN_SENDER, 0))


def summary(created: int) -> str:
    now = timezone.now()
    patients = Patient.objects.filter(mrn__in=[entry.mrn for entry in PATIENTS])
    demo_checkins = CheckIn.objects.filter(enrollment__patient__in=patients)
    open_escalations = Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
    lines = [
        f"Demo data: {patients.count()} patients "
        f"({patients.filter(language='es').count()} Spanish-speaking), {created} new.",
        f"  check-ins: {demo_checkins.filter(status=CheckIn.Status.COMPLETED).count()} completed, "
        f"{demo_checkins.filter(status=CheckIn.Status.PENDING).count()} planned",
        f"  texts: {OutboundMessage.objects.count()} sent, "
        f"{InboundMessage.objects.count()} received",
        f"  open escalations: {open_escalations.count()}",
        f"  messages needing review: {messages_needing_review(now).count()}",
    ]
    untriaged = InboundMessage.objects.filter(assessment__isnull=True, sender="patient").count()
    if untriaged:
        lines.append(
            f"  warning: {untriaged} patient replies could not be triaged, so they wait for "
            "review instead of opening escalations (is the triage package complete?)"
        )
    soon = demo_checkins.filter(
        status=CheckIn.Status.PENDING, due_at__lte=now + dt.timedelta(hours=1)
    )
    for checkin in soon.select_related("enrollment__patient").order_by("due_at")[:1]:
        patient = checkin.enrollment.patient
        local = timezone.localtime(checkin.due_at, patient.tz)
        lines.append(
            f"  next check-in text: {patient} at {local:%H:%M %Z}, "
            f"see it on the patient phone at /demo/phone/{patient.pk}/"
        )
    return "\n".join(lines)
