"""The domain: care teams, patients, protocols, check-ins, messages and escalations."""

import datetime as dt
import functools
import zoneinfo
from typing import Any, Self, TypeVar

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from followup.phones import validate_e164
from triage import TriageConfig


def validate_time_zone(value: str) -> None:
    # A name of the IANA list: "right/..." zones count leap seconds (check-ins an hour off by
    # the end of the year), and "localtime" is whatever the server's clock is set to.
    if value not in _time_zones():
        raise ValidationError(f"{value!r} is not an IANA time zone, e.g. America/Chicago")


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"})


# Field is generic only in the stubs: Django cannot subscript it at runtime.
class PhoneField(models.CharField):  # type: ignore[type-arg]
    """An E.164 number; forms and the admin normalise what people type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("validators", [validate_e164])
        kwargs.setdefault("help_text", "E.164, e.g. +13125550123")
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        from followup.forms import PhoneFormField

        kwargs.setdefault("form_class", PhoneFormField)
        return super().formfield(**kwargs)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    VOICE = "voice", "Voice call"


class Severity(models.IntegerChoices):
    """Triage tiers, ranked so that ordering by severity puts emergencies first."""

    NONE = 0, "none"
    ROUTINE = 1, "routine"
    URGENT = 2, "urgent"
    EMERGENCY = 3, "emergency"


class Question(models.TextChoices):
    """The question catalogue; wording lives in templates/messages/<lang>/."""

    GENERAL = "general", "How are you feeling today?"
    PAIN = "pain", "Pain 0-10"
    NUMBNESS = "numbness", "New numbness or tingling"
    WEAKNESS = "weakness", "New leg weakness or trouble walking"
    BLADDER_BOWEL = "bladder_bowel", "Bladder or bowel control"
    WOUND_FEVER = "wound_fever", "Fever or incision problems"
    # Not a catalogue question: a step's symptom questions asked at once as a numbered form.
    CHECKLIST = "checklist", "Numbered form"


class User(AbstractUser):
    class Role(models.TextChoices):
        NURSE = "nurse", "Nurse"
        SURGEON = "surgeon", "Surgeon"
        TEAM_LEAD = "team_lead", "Team lead"
        AUDITOR = "auditor", "Auditor"
        ADMIN = "admin", "System administrator"

    role = models.CharField(max_length=16, choices=Role, default=Role.NURSE)
    # Indexed: the SMS webhook asks of every sender whether staff use the number.
    phone = PhoneField(blank=True, db_index=True, help_text="For pages when on call; E.164")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class CareTeam(models.Model):
    name = models.CharField(max_length=100, unique=True)
    clinic_phone = PhoneField(help_text="The number patients may call; E.164")
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    business_days = models.CharField(
        max_length=7, default="12345", help_text="ISO weekdays the clinic is open, 1 = Monday"
    )
    business_start = models.TimeField(default=dt.time(8, 0))
    business_end = models.TimeField(default=dt.time(17, 0))
    members = models.ManyToManyField(User, blank=True, related_name="care_teams")
    # Superseded by the roster (Shift); read only while a team has no shift on record.
    on_call = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="on_call_for",
        help_text="Deprecated: the roster decides; used only while the team has no shifts",
    )
    backup = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="backup_for",
        help_text="Deprecated: the roster decides; used only while the team has no shifts",
    )
    ack_timeout_minutes = models.PositiveSmallIntegerField(
        default=5, help_text="An unacknowledged emergency pages the on-call clinician after this"
    )
    backup_after_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Still unacknowledged this long after the first page: the backup"
    )
    page_repeat_minutes = models.PositiveSmallIntegerField(
        default=10, help_text="Then paging repeats this often until someone acknowledges"
    )
    # Triage thresholds where sources differ; defaults follow the labeling guide.
    fever_threshold_f = models.DecimalField(
        "fever threshold (F)", max_digits=4, decimal_places=1, default=101.0
    )
    severe_pain_min = models.PositiveSmallIntegerField(
        default=8, help_text="A pain score at or above this is severe pain (urgent)"
    )
    pain_jump = models.PositiveSmallIntegerField(
        default=3, help_text="Pain up this many points since the last answer is urgent"
    )
    constipation_urgent_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days without a bowel movement that become urgent; "
        "empty keeps constipation routine",
    )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.business_days.isdigit() or not set(self.business_days) <= set("1234567"):
            raise ValidationError({"business_days": "Use digits 1-7, e.g. 12345 for Mon-Fri."})
        if self.business_start >= self.business_end:
            raise ValidationError({"business_end": "Business hours must end after they start."})
        for role in ("on_call", "backup"):
            user = getattr(self, role)
            if user is not None and not user.phone:
                raise ValidationError({role: f"{user} has no phone number to page."})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def in_business_hours(self, when: dt.datetime) -> bool:
        local = when.astimezone(self.tz)
        return (
            str(local.isoweekday()) in self.business_days
            and self.business_start <= local.time() < self.business_end
        )

    def triage_config(self) -> "TriageConfig":
        fever_f = float(self.fever_threshold_f)
        return TriageConfig(
            fever_f=fever_f,
            fever_c=round((fever_f - 32) * 5 / 9, 1),
            severe_pain_min=self.severe_pain_min,
            pain_jump=self.pain_jump,
            constipation_urgent_days=self.constipation_urgent_days,
        )

    def business_hours_end(self, when: dt.datetime) -> dt.datetime:
        """When the business hours that `when` falls in end (`when` itself if outside them)."""
        if not self.in_business_hours(when):
            return when
        local = when.astimezone(self.tz)
        return dt.datetime.combine(local.date(), self.business_end, tzinfo=self.tz)


_Row = TypeVar("_Row", bound=models.Model)


def team_ids_of(user: User) -> models.QuerySet[Any, Any]:
    """The ids of the user's care teams, read from the membership table alone."""
    return CareTeam.members.through.objects.filter(user=user).values("careteam_id")


class TeamScopedQuerySet(models.QuerySet[_Row]):
    """Rows about patients of the user's care teams (followup/access.py is the way in)."""

    # The lookup from a row to the care team treating its patient.
    team_path = "patient__care_team"

    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        if not isinstance(user, User) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(self.team_q(user))

    def team_q(self, user: User) -> models.Q:
        return models.Q(**{f"{self.team_path}__in": team_ids_of(user)})


class PatientQuerySet(TeamScopedQuerySet["Patient"]):
    team_path = "care_team"


class SurgeryQuerySet(TeamScopedQuerySet["Surgery"]):
    pass


class EnrollmentQuerySet(TeamScopedQuerySet["Enrollment"]):
    pass


class CheckInQuerySet(TeamScopedQuerySet["CheckIn"]):
    team_path = "enrollment__patient__care_team"


def on_a_team(user: User) -> models.Exists:
    """Whether the user is on any care team, asked by the statement that needs it: no query of
    its own, and a statement's shape never depends on it."""
    return models.Exists(team_ids_of(user))


class InboundMessageQuerySet(TeamScopedQuerySet["InboundMessage"]):
    def team_q(self, user: User) -> models.Q:
        # One Twilio number serves every team today, so a number not on file (or shared by
        # several patients) may be any team's patient: staff of every team see its number and
        # text, and nothing else, since it belongs to no patient.
        unmatched = models.Q(
            patient=None,
            sender__in=[InboundMessage.Sender.UNKNOWN, InboundMessage.Sender.AMBIGUOUS],
        )
        return super().team_q(user) | models.Q(unmatched, on_a_team(user))


class OutboundMessageQuerySet(TeamScopedQuerySet["OutboundMessage"]):
    def team_q(self, user: User) -> models.Q:
        # Pages to staff carry no patient but name one through their escalation.
        teams = team_ids_of(user)
        own = models.Q(patient__care_team__in=teams) | models.Q(
            patient=None, escalation__patient__care_team__in=teams
        )
        unmatched = models.Q(patient=None, escalation=None)
        return own | models.Q(unmatched, on_a_team(user))


class CareItemQuerySet(TeamScopedQuerySet["CareItem"]):
    pass


class AnswerQuerySet(TeamScopedQuerySet["Answer"]):
    pass


class EscalationQuerySet(TeamScopedQuerySet["Escalation"]):
    pass


class ShiftQuerySet(TeamScopedQuerySet["Shift"]):
    team_path = "care_team"

    def covering(self, when: dt.datetime) -> Self:
        return self.filter(starts_at__lte=when).filter(
            models.Q(ends_at=None) | models.Q(ends_at__gt=when)
        )


class Shift(models.Model):
    """Who is on call, or backup, for a care team from one moment to the next (the roster)."""

    class Role(models.TextChoices):
        ON_CALL = "on_call", "On call"
        BACKUP = "backup", "Backup"

    care_team = models.ForeignKey(CareTeam, models.CASCADE, related_name="shifts")
    user = models.ForeignKey(User, models.CASCADE, related_name="shifts")
    role = models.CharField(max_length=8, choices=Role, default=Role.ON_CALL)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until changed")

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["care_team", "starts_at"], name="shift_team_starts")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at=None) | models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user_id} for team {self.care_team_id}"


class SafetyWording(models.Model):
    """A care team's own wording for a safety reply; the default template applies without one."""

    class Kind(models.TextChoices):
        EMERGENCY = "safety_emergency", "Emergency"
        URGENT = "safety_urgent", "Urgent, in business hours"
        URGENT_AFTER_HOURS = "safety_urgent_after_hours", "Urgent, after hours"

    care_team = models.ForeignKey(CareTeam, models.CASCADE, related_name="safety_wordings")
    kind = models.CharField(max_length=32, choices=Kind)
    language = models.CharField(max_length=2, choices=Language)
    text = models.TextField(
        help_text="May use {{ clinic_phone }} and {{ team }}. It must tell the patient to call "
        "911, and never promise what the team cannot do."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["care_team", "kind", "language"], name="one_wording_per_kind_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_team}: {self.get_kind_display()} ({self.language})"

    def clean(self) -> None:
        if "911" not in self.text:
            raise ValidationError({"text": "A safety reply must tell the patient to call 911."})


class Patient(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    mrn = models.CharField("MRN", max_length=32, unique=True)
    phone = PhoneField(db_index=True)
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    preferred_channel = models.CharField(max_length=8, choices=Channel, default=Channel.SMS)
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    quiet_start = models.TimeField(default=dt.time(21, 0), help_text="No scheduled texts after")
    quiet_end = models.TimeField(default=dt.time(8, 0), help_text="No scheduled texts before")
    accepts_calls = models.BooleanField(
        default=True, help_text="Voice check-ins and calls to non-responders are allowed"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    sms_opted_out_at = models.DateTimeField(null=True, blank=True)
    sms_failed_at = models.DateTimeField(
        null=True, blank=True, help_text="Texts to this number fail for good; set by Twilio errors"
    )
    sms_failed_code = models.PositiveIntegerField(null=True, blank=True)
    care_team = models.ForeignKey(CareTeam, models.PROTECT, related_name="patients")
    caregiver_name = models.CharField(max_length=100, blank=True)
    caregiver_phone = PhoneField(blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Name, MRN and phone digits folded for search (followup/patient_search.py); kept by save().
    search_text = models.TextField(blank=True, default="", editable=False)
    # Past DATA_RETENTION_DAYS the record keeps its dates and clinical codes for the reports,
    # and loses every identifier and free text (followup/retention.py).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from followup.patient_search import SEARCHED_FIELDS, search_text

        self.search_text = search_text(self.first_name, self.last_name, self.mrn, self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCHED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def can_text(self) -> bool:
        return self.sms_opted_out_at is None and self.sms_failed_at is None

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    @property
    def mrn_last4(self) -> str:
        return self.mrn[-4:]

    def surgery_date(self) -> dt.date | None:
        # A list that prefetched surgeries (the dashboard) reads them, not a query per row.
        if "surgeries" in getattr(self, "_prefetched_objects_cache", {}):
            return max((s.date for s in self.surgeries.all()), default=None)
        surgery = self.surgeries.order_by("-date").first()
        return surgery.date if surgery else None

    def postop_day(self, when: dt.datetime | None = None) -> int | None:
        return self.days_since(self.surgery_date(), when)

    def days_since(self, day: dt.date | None, when: dt.datetime | None = None) -> int | None:
        """Days from `day` to `when` (now) in the patient's time zone: the post-op day when
        `day` is the surgery's."""
        return days_since(day, when or timezone.now(), self.time_zone)


def days_since(day: dt.date | None, when: dt.datetime, time_zone: str) -> int | None:
    """Days from `day` to `when` in `time_zone` (a patient's), for rows read without the
    patient (the dashboard's list reads her zone beside each escalation)."""
    if day is None:
        return None
    return (when.astimezone(zoneinfo.ZoneInfo(time_zone)).date() - day).days


class Surgery(models.Model):
    class Procedure(models.TextChoices):
        TLIF = "tlif", "Lumbar fusion (TLIF)"
        PLIF = "plif", "Lumbar fusion (PLIF)"
        ALIF = "alif", "Lumbar fusion (ALIF)"
        LLIF = "llif", "Lumbar fusion (lateral, XLIF/LLIF)"
        PLF = "plf", "Posterolateral lumbar fusion"
        ACDF = "acdf", "Cervical fusion (ACDF)"
        PCF = "pcf", "Posterior cervical fusion"

    class Approach(models.TextChoices):
        POSTERIOR = "posterior", "Posterior"
        ANTERIOR = "anterior", "Anterior"
        LATERAL = "lateral", "Lateral"
        COMBINED = "combined", "Combined"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="surgeries")
    procedure = models.CharField(max_length=8, choices=Procedure)
    levels = models.CharField(max_length=32, help_text="e.g. L4-L5, or C5-C7")
    approach = models.CharField(max_length=16, choices=Approach)
    date = models.DateField()
    surgeon = models.ForeignKey(User, models.PROTECT, related_name="surgeries")

    objects = SurgeryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "surgeries"

    def __str__(self) -> str:
        return f"{self.get_procedure_display()} {self.levels} on {self.date}"

    @property
    def is_cervical(self) -> bool:
        return self.procedure in (self.Procedure.ACDF, self.Procedure.PCF)


class ProtocolQuerySet(TeamScopedQuerySet["Protocol"]):
    # A protocol belongs to a care team, or to none: shared by every team (the default).
    team_path = "care_team"

    def team_q(self, user: User) -> models.Q:
        return super().team_q(user) | models.Q(care_team=None)

    def latest_version(self, name: str) -> "Protocol":
        return self.select_related("owner").filter(name=name).latest("version")

    def default(self) -> "Protocol | None":
        """The default protocol's latest version (surgeons' edits reach new patients)."""
        marked = self.filter(is_default=True).order_by("-version").first()
        return self.latest_version(marked.name) if marked else None


class Protocol(models.Model):
    """A follow-up schedule; a change makes a new version, enrollments keep theirs."""

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    owner = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="protocols")
    care_team = models.ForeignKey(
        CareTeam,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols",
        help_text="The team whose protocol it is; empty: shared by every team",
    )
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="protocol_name_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProtocolStep(models.Model):
    # A step goes by text, by call (Channel), or the way each patient prefers.
    PREFERRED = "preferred"
    CHANNELS = [*Channel.choices, (PREFERRED, "Patient's preference")]

    protocol = models.ForeignKey(Protocol, models.CASCADE, related_name="steps")
    postop_day = models.PositiveSmallIntegerField()
    send_time = models.TimeField(default=dt.time(10, 0), help_text="Local to the patient")
    channel = models.CharField(max_length=16, choices=CHANNELS, default=PREFERRED)
    questions = models.JSONField(help_text="Ordered question codes")
    numbered = models.BooleanField(
        default=False,
        help_text="By text, ask the symptom questions at once as a numbered form "
        "(reply with the numbers that apply, and the pain score)",
    )

    class Meta:
        ordering = ["postop_day", "send_time"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "postop_day"], name="step_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"day {self.postop_day} at {self.send_time:%H:%M}"

    @property
    def checklist_items(self) -> list[str]:
        return [q for q in self.questions if q not in (Question.GENERAL, Question.PAIN)]

    def clean(self) -> None:
        codes = self.questions if isinstance(self.questions, list) else None
        if not codes:
            raise ValidationError({"questions": "Pick at least one question."})
        unknown = [
            code for code in codes if code not in Question.values or code == Question.CHECKLIST
        ]
        if unknown:
            raise ValidationError({"questions": f"Unknown question codes: {', '.join(unknown)}"})
        if len(set(codes)) != len(codes):
            raise ValidationError({"questions": "A question may appear only once."})


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="enrollments")
    surgery = models.ForeignKey(Surgery, models.CASCADE, related_name="enrollments")
    protocol = models.ForeignKey(Protocol, models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["surgery"],
                condition=models.Q(status="active"),
                name="one_active_enrollment_per_surgery",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.protocol}"


class CheckIn(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        AWAITING = "awaiting", "Awaiting reply"
        COMPLETED = "completed", "Completed"
        ESCALATED = "escalated", "Stopped for an escalation"
        MISSED = "missed", "No response"
        EXPIRED = "expired", "Could not be sent in time"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    enrollment = models.ForeignKey(Enrollment, models.CASCADE, related_name="checkins")
    step = models.ForeignKey(ProtocolStep, models.PROTECT, related_name="checkins")
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    questions = models.JSONField(help_text="Question codes, copied from the step when planned")
    question_index = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    prompted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the patient was last asked (question or reminder)"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    reasked = models.BooleanField(default=False, help_text="A clarifying re-ask went out")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "step"],
                condition=~models.Q(status="cancelled"),
                name="one_live_checkin_per_step",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="checkin_due"),
            # The check-in awaiting a patient's answer, looked up by the SMS webhook.
            models.Index(
                fields=["enrollment", "-sent_at"],
                name="checkin_awaiting",
                condition=models.Q(status="awaiting"),
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} ({self.status}) due {self.due_at:%Y-%m-%d %H:%M}Z"

    @property
    def current_question(self) -> str | None:
        if self.question_index < len(self.questions):
            code: str = self.questions[self.question_index]
            return code
        return None


class OutboundMessage(models.Model):
    """Written before every send, so a crash never leaves a send unaccounted for."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Check-in question"
        REMINDER = "reminder", "Reminder"
        WELCOME = "welcome", "Welcome"
        CLOSING = "closing", "Check-in closing"
        KEYWORD = "keyword", "Keyword reply"
        SAFETY = "safety", "Safety reply"
        PAGE = "page", "Page to clinician"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued here"
        SENDING = "sending", "Handing to Twilio"
        ACCEPTED = "accepted", "Accepted by Twilio"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        READ = "read", "Read"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"
        PARTIALLY_DELIVERED = "partially_delivered", "Partially delivered"
        REPLIED = "replied", "Sent as a webhook reply"
        # Twilio's records could not tell whether this one went out: staff decide, nothing resends.
        UNSETTLED = "unsettled", "Not known whether sent"

    patient = models.ForeignKey(
        Patient, models.CASCADE, null=True, blank=True, related_name="outbound"
    )
    to = PhoneField()
    body = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind)
    checkin = models.ForeignKey(
        CheckIn, models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    question = models.CharField(max_length=16, choices=Question, blank=True)
    in_reply_to = models.ForeignKey(
        "InboundMessage", models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    channel = models.CharField(max_length=8, choices=Channel, default=Channel.SMS)
    escalation = models.ForeignKey(
        "Escalation", models.SET_NULL, null=True, blank=True, related_name="pages"
    )
    staff = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="pages_received"
    )
    twilio_sid = models.CharField(max_length=34, null=True, blank=True, unique=True)
    status = models.CharField(max_length=24, choices=Status, default=Status.QUEUED)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_updated_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="A transient failure is retried no earlier than this"
    )
    call_outcome = models.CharField(
        max_length=24, blank=True, help_text="For calls: who answered and how the call ended"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_status"),
            # The page a clinician's text answers (followup.paging.paged_escalation), probed by
            # the SMS webhook for numbers no patient has.
            models.Index(
                fields=["to", "-created_at"],
                name="outbound_pages_to",
                condition=models.Q(kind="page"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"


class InboundMessage(models.Model):
    """Every message Twilio delivers, stored once per MessageSid whoever sent it."""

    class Sender(models.TextChoices):
        PATIENT = "patient", "Patient"
        CAREGIVER = "caregiver", "Caregiver"
        UNKNOWN = "unknown", "Unknown number"
        AMBIGUOUS = "ambiguous", "Number shared by several patients"
        STAFF = "staff", "Paged clinician"

    # A text's MessageSid, or "<CallSid>:<question>" for an answer given on a call.
    message_sid = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=Channel, default=Channel.SMS)
    speech_confidence = models.FloatField(null=True, blank=True)
    # Text, not a bounded field: whatever Twilio signed is stored (it may not be a phone number).
    from_number = models.TextField()
    to_number = models.TextField(blank=True)
    body = models.TextField(blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    originals = models.TextField(
        blank=True,
        help_text="JSON of fields as Twilio sent them, when they held characters PostgreSQL "
        "cannot store (stored with U+FFFD in their place)",
    )
    sender = models.CharField(max_length=16, choices=Sender)
    patient = models.ForeignKey(
        Patient, models.SET_NULL, null=True, blank=True, related_name="inbound"
    )
    checkin = models.ForeignKey(
        CheckIn, models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    question = models.CharField(max_length=16, choices=Question, blank=True)
    keyword = models.CharField(
        max_length=8, blank=True, help_text="stop, start or help when the message was a keyword"
    )
    assessment = models.JSONField(
        null=True, blank=True, help_text="Triage output at arrival, or null when it failed"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Processing by the worker, tried again by the sweep in followup/conversation.py until it
    # succeeds or runs out of attempts.
    processing_attempts = models.PositiveSmallIntegerField(default=0)
    processing_error = models.TextField(blank=True, help_text="Why processing last failed")
    processing_retry_at = models.DateTimeField(
        null=True, blank=True, help_text="The sweep tries processing again no earlier than this"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        indexes = [
            # The dashboard's "needing review" list, read on every refresh, finds its few rows
            # here instead of scanning every reply ever received; the condition is implied by
            # each arm of followup/dashboard.py's selector, so PostgreSQL can use it.
            models.Index(
                fields=["received_at"],
                name="inbound_review_candidates",
                condition=models.Q(reviewed_at=None)
                & (
                    models.Q(sender__in=["unknown", "ambiguous"])
                    | models.Q(assessment__isnull=True)
                    | models.Q(channel="voice")
                    | models.Q(processed_at=None)
                    | (models.Q(media_urls__isnull=False) & ~models.Q(media_urls=[]))
                ),
            )
        ]

    def __str__(self) -> str:
        return f"inbound {self.message_sid}"


class CareItem(models.Model):
    """Follow-up work for the care team that is not a red flag: who to call and why."""

    class Kind(models.TextChoices):
        NO_RESPONSE = "no_response", "No response to today's check-in"
        UNREACHABLE = "unreachable", "Missed three check-ins in a row"
        OPTED_OUT = "opted_out", "Opted out of texts: call them"
        SMS_FAILED = "sms_failed", "Texts cannot reach this number: offer voice"
        EXPIRED = "expired", "A check-in could not be sent in time"
        CHECKIN_FAILED = "checkin_failed", "A check-in stopped on an error: contact the patient"
        PAGING_FAILED = "paging_failed", "Paging failed: page the on-call clinician by hand"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="care_items")
    kind = models.CharField(max_length=16, choices=Kind)
    urgent = models.BooleanField(default=False)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    objects = CareItemQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "created_at"]
        constraints = [
            # One open item of a kind per patient: repeats update it, never pile up.
            models.UniqueConstraint(
                fields=["patient", "kind"],
                condition=models.Q(done_at=None),
                name="one_open_care_item_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.patient}"


class StaffNoteQuerySet(TeamScopedQuerySet["StaffNote"]):
    pass


class StaffNote(models.Model):
    """What staff wrote on a patient's record, or a call they made: added, never edited."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        CALL = "call", "Call made"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(User, models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.NOTE)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = StaffNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["patient", "created_at"], name="staffnote_patient_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_id} on {self.patient_id}"


class Answer(models.Model):
    """A structured answer: what triage found in one reply to one question."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="answers")
    checkin = models.ForeignKey(
        CheckIn, models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    message = models.OneToOneField(InboundMessage, models.CASCADE, related_name="answer")
    question = models.CharField(max_length=16, choices=Question)
    findings = models.JSONField(default=list)
    severity = models.PositiveSmallIntegerField(choices=Severity, default=Severity.NONE)
    needs_review = models.BooleanField(default=False)
    pain_score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        # The patient's latest answers, read to triage each of their texts (prior_answers).
        indexes = [models.Index(fields=["patient", "-created_at"], name="answer_patient_at")]

    def __str__(self) -> str:
        return f"{self.question} answer from {self.patient}"


class Escalation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class Outcome(models.TextChoices):
        ADVISED_ED = "advised_ed", "Sent to the emergency department"
        CLINIC_VISIT = "clinic_visit", "Clinic visit arranged"
        ADVICE = "advice", "Advice given by phone"
        NO_ACTION = "no_action", "No action needed"
        UNREACHABLE = "unreachable", "Could not reach the patient"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="escalations")
    severity = models.PositiveSmallIntegerField(choices=Severity)
    needs_review = models.BooleanField(default=False)
    findings = models.JSONField(default=list)
    evidence = models.JSONField(default=dict, help_text="Finding code -> the patient's words")
    status = models.CharField(max_length=16, choices=Status, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_to = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="assigned_escalations"
    )
    outcome = models.CharField(max_length=16, choices=Outcome, blank=True)
    outcome_note = models.TextField(blank=True)
    page_level = models.PositiveSmallIntegerField(
        default=0, help_text="How far up the paging ladder this escalation has gone"
    )
    next_page_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "-severity", "opened_at"], name="escalation_queue")
        ]
        constraints = [
            # One unresolved escalation per patient: new reports attach to it.
            models.UniqueConstraint(
                fields=["patient"],
                condition=~models.Q(status="resolved"),
                name="one_unresolved_escalation_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} escalation for {self.patient}"

    @property
    def latest_report(self) -> "InboundMessage | None":
        """The patient's most recent message behind this escalation (uses prefetched events)."""
        reports = [event.message for event in self.events.all() if event.message is not None]
        return reports[-1] if reports else None


class EscalationEvent(models.Model):
    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        ATTACHED = "attached", "New report attached"
        UPGRADED = "upgraded", "Upgraded"
        PAGED = "paged", "Paged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"
        REOPENED = "reopened", "Re-opened"

    escalation = models.ForeignKey(Escalation, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.ForeignKey(
        InboundMessage, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}Z"


class SenderPace(models.Model):
    """When a sending number may next send a segment (see followup/throttle.py)."""

    number = models.CharField(max_length=64, primary_key=True)
    next_free_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.number} free at {self.next_free_at:%H:%M:%S}"


class WorkerPass(models.Model):
    """The latest run of one of the worker's recurring passes, read by /healthz."""

    name = models.CharField(max_length=32, primary_key=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    items_ok = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="What failed in the last run; empty if nothing")

    def __str__(self) -> str:
        return f"{self.name} pass started {self.started_at:%Y-%m-%d %H:%M:%S}Z"


class AuditEvent(models.Model):
    """Who saw or changed which patient's data; append-only (see followup/audit.py)."""

    # The database refuses UPDATE and DELETE on this table, so nothing may cascade into it:
    # users and patients are referenced without a constraint and never nulled, and a deleted
    # patient's or user's id stays on record (with the username copied for reading).
    user = models.ForeignKey(
        User, models.DO_NOTHING, null=True, blank=True, db_constraint=False, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32)
    patient = models.ForeignKey(
        Patient, models.DO_NOTHING, null=True, blank=True, db_constraint=False, related_name="+"
    )
    patients = models.JSONField(default=list, blank=True, help_text="Ids shown by a list view")
    detail = models.TextField(blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)
    method = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "at"], name="auditevent_patient_at"),
            models.Index(fields=["user", "at"], name="auditevent_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.username or 'system'} at {self.at:%Y-%m-%d %H:%M:%S}Z"
