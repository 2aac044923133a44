"""The Django admin: care teams, staff, patients, protocols and the message log."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin
from django.db import models as db
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone

from followup import access, audit, audit_views, consent, models, roster
from followup.access import Right
from followup.scheduling import PLANNING_FIELDS, replan_after_change
from followup.signin import end_sessions


class ScopedChoices:
    """Drop-downs offer only rows of the user's care teams: a choice list names patients too."""

    def formfield_for_foreignkey(
        self, db_field: db.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        choices = db_field.related_model._default_manager.all()
        if isinstance(choices, models.TeamScopedQuerySet):
            kwargs["queryset"] = access.visible(choices, request.user)
        elif db_field.related_model is models.CareTeam:
            kwargs["queryset"] = access.teams_of(request.user)
        field: forms.ModelChoiceField | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field


class AuditedChanges:
    """Every addition, change and deletion through the admin is in the audit trail, with the
    patient it touched: the same hooks Django's own admin log uses, so no path is missed."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_views.acted(request, audit.ADMIN_ADD, _patient_of(obj), _described(obj, message))
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_views.acted(request, audit.ADMIN_CHANGE, _patient_of(obj), _described(obj, message))
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit_views.acted(request, audit.ADMIN_DELETE, _patient_of(obj), _described(obj))
        return super().log_deletions(request, queryset)  # type: ignore[misc]


def _described(obj: Any, message: Any = None) -> str:
    """The row by model and id; for a change, the fields it changed and the rows its inlines
    added, changed or deleted (a deleted enrollment takes its check-ins with it)."""
    said = []
    for part in message if isinstance(message, list) else []:
        for verb, entry in part.items():
            if not isinstance(entry, dict):
                continue
            row = f"{entry['name']} {entry['object']}" if "object" in entry else ""
            fields = ", ".join(map(str, entry.get("fields", [])))
            said.append(" ".join(word for word in (verb, row, fields) if word))
    changed = f": {'; '.join(said)}" if said else ""
    return f"{obj._meta.verbose_name} {obj.pk}{changed}"[:500]


class TeamScopedAdmin(AuditedChanges, ScopedChoices, admin.ModelAdmin):
    """Patient data: another team's rows are not listed and open as if missing."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if not isinstance(rows, models.TeamScopedQuerySet):
            raise TypeError(f"{self.model.__name__} has no team scoping")
        return access.visible(rows, request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.READ_DASHBOARD)

    # Every admin view of patient data is in the audit trail: the list with the patients it
    # showed, each record opened with its patient.
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", {})
        changelist = context.get("cl")
        # The list, or the confirmation of "Delete selected" (its rows and all that goes with
        # them, named on the page).
        rows, what = (
            (changelist.result_list, "list")
            if changelist is not None
            else (context.get("queryset"), "rows to delete")
        )
        if rows is not None:
            shown = [_patient_of(row) for row in rows]
            audit_views.viewed(
                request,
                audit.VIEW_ADMIN,
                [pk for pk in shown if pk is not None],
                f"{self.model._meta.verbose_name_plural} {what}",
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._viewed_one(request, response, object_id, "original")

    # A row's deletion page and its history show the patient too.
    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        response = super().delete_view(request, object_id, extra_context)
        return self._viewed_one(request, response, object_id, "object")

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        response = super().history_view(request, object_id, extra_context)
        return self._viewed_one(request, response, object_id, "object")

    def _viewed_one(self, request: HttpRequest, response: Any, object_id: str, name: str) -> Any:
        """The response, its row (context `name`) recorded as viewed when the page showed it."""
        shown = getattr(response, "context_data", {}).get(name)
        if shown is not None:
            audit_views.acted(
                request,
                audit.VIEW_ADMIN,
                _patient_of(shown),
                f"{self.model._meta.verbose_name} {object_id}",
            )
        return response

    # Changes through the admin are the system administrator's; clinicians use their pages.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.can(request.user, Right.ADMINISTER)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.ADMINISTER)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.ADMINISTER)


def _patient_of(row: Any) -> int | None:
    """The patient a row of patient data belongs to, if any."""
    if isinstance(row, models.Patient):
        return row.pk
    if (patient_id := getattr(row, "patient_id", None)) is not None:
        return int(patient_id)
    enrollment = getattr(row, "enrollment", None)
    return enrollment.patient_id if enrollment is not None else None


class TeamSettingsAdmin(AuditedChanges, admin.ModelAdmin):
    """Staff and team settings: team leads and administrators.

    Rights come from the user's role (followup.access), the one place they are decided; Django's
    per-model permissions are not used.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can(request.user, Right.MANAGE_TEAMS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.MANAGE_TEAMS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.can(request.user, Right.MANAGE_TEAMS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.MANAGE_TEAMS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.MANAGE_TEAMS)


@admin.register(models.User)
class StaffAdmin(TeamSettingsAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "phone", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Clinical role", {"fields": ("role", "phone")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Clinical role", {"fields": ("role", "phone")}))
    actions = ["unlock_sign_in", "end_all_sessions", "reset_authenticator"]

    @admin.action(description="Unlock sign-in (clear failed attempts)")
    def unlock_sign_in(self, request: HttpRequest, staff: QuerySet[models.User]) -> None:
        from axes.utils import reset

        for user in staff:
            reset(username=user.username)
            audit_views.acted(request, audit.UNLOCK, None, f"user {user.username}")

    @admin.action(description="End all sessions")
    def end_all_sessions(self, request: HttpRequest, staff: QuerySet[models.User]) -> None:
        for user in staff:
            end_sessions(user)
            audit_views.acted(request, audit.END_SESSIONS, None, f"user {user.username}")

    @admin.action(description="Reset the authenticator (set up again at next sign-in)")
    def reset_authenticator(self, request: HttpRequest, staff: QuerySet[models.User]) -> None:
        from django_otp import devices_for_user

        for user in staff:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
            end_sessions(user)
            audit_views.acted(request, audit.RESET_AUTHENTICATOR, None, f"user {user.username}")

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.User]:
        return manageable_staff(super().get_queryset(request), request.user)

    def formfield_for_choice_field(
        self, db_field: "db.Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        if db_field.name == "role" and not access.can(request.user, Right.ADMINISTER):
            # A team lead hands out clinical roles, never the administrator's.
            kwargs["choices"] = [
                choice for choice in db_field.choices or () if choice[0] != models.User.Role.ADMIN
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if getattr(request.user, "is_superuser", False):
            return fields
        # Only a superuser hands out superuser status or Django permissions.
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")


def manageable_staff(staff: QuerySet[models.User], user: Any) -> QuerySet[models.User]:
    """The accounts of `staff` that `user` manages: her teams' staff and new staff on no team,
    never an account holding more than she does: a superuser's, a system administrator's for
    a team lead, or one also on a team of which she is not (its password or authenticator
    would open that team's patients to her)."""
    if getattr(user, "is_superuser", False):
        return staff
    staff = staff.exclude(is_superuser=True)
    if not access.can(user, Right.ADMINISTER):
        staff = staff.exclude(role=models.User.Role.ADMIN)
    teams = access.teams_of(user)
    elsewhere = models.CareTeam.objects.exclude(pk__in=teams.values("pk"))
    staff = staff.exclude(care_teams__in=elsewhere)
    return staff.filter(Q(care_teams__in=teams) | Q(care_teams=None)).distinct()


class SafetyWordingInline(admin.StackedInline):
    model = models.SafetyWording
    extra = 0


class CareTeamForm(forms.ModelForm):
    class Meta:
        model = models.CareTeam
        fields = [
            "name", "clinic_phone", "time_zone", "business_days", "business_start",
            "business_end", "members", "on_call", "backup", "ack_timeout_minutes",
            "backup_after_minutes", "page_repeat_minutes", "fever_threshold_f", "severe_pain_min",
            "pain_jump", "constipation_urgent_days",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members = set(cleaned.get("members") or ())
        for role in ("on_call", "backup"):
            user = cleaned.get(role)
            if user is not None and user not in members:
                # Paged about a team's patients, they must be allowed to see them. (The roster
                # has replaced these fields; they still page a team that has no shifts yet.)
                self.add_error(role, f"{user} is not a member of this team: add them first.")
        return cleaned


@admin.register(models.CareTeam)
class CareTeamAdmin(TeamSettingsAdmin):
    form = CareTeamForm
    list_display = ("name", "clinic_phone", "time_zone", "on_call_now")
    filter_horizontal = ("members",)
    inlines = [SafetyWordingInline]

    @admin.display(description="On call now (roster)")
    def on_call_now(self, team: models.CareTeam) -> str:
        # Read for the whole page at once (_OnCallChangeList), not a query per team.
        return str(getattr(team, "on_call_now", None) or "nobody")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _OnCallChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.CareTeam]:
        return access.teams_of(request.user) & super().get_queryset(request)

    # Members, on call and backup come from the staff she manages, and whoever is on the team.
    def formfield_for_manytomany(
        self, db_field: "db.ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "members":
            kwargs["queryset"] = _team_staff(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: "db.ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.related_model is models.User:
            kwargs["queryset"] = _team_staff(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _team_staff(request: HttpRequest) -> QuerySet[models.User]:
    """Staff `request.user` manages, with the members of the team being changed (a colleague
    on another team of hers too): choices never list an account she could not open."""
    manageable = manageable_staff(models.User.objects.all(), request.user)
    match = request.resolver_match
    team_id = match.kwargs.get("object_id") if match is not None else None
    chosen = Q(pk__in=manageable.values("pk"))
    if team_id is not None and str(team_id).isdecimal():
        chosen |= Q(pk__in=models.User.objects.filter(care_teams__pk=team_id).values("pk"))
    return models.User.objects.filter(chosen).order_by("last_name", "username")


class _OnCallChangeList(ChangeList):
    """The care teams' list, with who is on call now for every team of the page in two queries."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        teams = list(self.result_list)
        shown = models.CareTeam.objects.filter(pk__in=[team.pk for team in teams])
        covered = roster.coverage(shown, timezone.now(), dt.timedelta(0))
        on_call = {cover.team.pk: cover.on_call for cover in covered}
        for team in teams:
            team.on_call_now = on_call.get(team.pk)
        self.result_list = teams


class SurgeryInline(ScopedChoices, admin.TabularInline):
    model = models.Surgery
    extra = 0


NO_CONSENT = (
    "This patient has no consent to texts on record. Save the enrollment as paused, then record "
    'consent (the patients list\'s action "Record consent to texts"), which starts it.'
)


def _starts_without_consent(form: forms.ModelForm, patient: models.Patient | None) -> bool:
    """An enrollment added or made active here for a patient with no consent on record: it
    would text someone who never agreed, so the admin refuses it, as the patient page does."""
    if form.cleaned_data.get("status") != models.Enrollment.Status.ACTIVE:
        return False
    if form.instance.pk is not None and "status" not in form.changed_data:
        return False
    return patient is None or patient.consented_at is None


class EnrollmentForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if _starts_without_consent(self, cleaned.get("patient")):
            self.add_error("status", NO_CONSENT)
        return cleaned


class EnrollmentFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # A patient being added has no consent on record: consent is its own recorded action.
        patient = self.instance if self.instance.pk is not None else None
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if cleaned and not cleaned.get("DELETE") and _starts_without_consent(form, patient):
                form.add_error("status", NO_CONSENT)


class EnrollmentInline(ScopedChoices, admin.TabularInline):
    model = models.Enrollment
    formset = EnrollmentFormSet
    extra = 0
    fields = ("surgery", "protocol", "status", "enrolled_at")


@admin.register(models.Patient)
class PatientAdmin(TeamScopedAdmin):
    list_display = ("last_name", "first_name", "mrn", "care_team", "language", "preferred_channel")
    # Only the teams the user may see are offered as filters.
    list_filter = (
        ("care_team", admin.RelatedOnlyFieldListFilter),
        "language",
        "preferred_channel",
    )
    search_fields = ("last_name", "first_name", "mrn", "phone")
    inlines = [SurgeryInline, EnrollmentInline]
    actions = ["record_consent", "record_phone_opt_out"]
    # Consent, opt-out and failure times change only through their own recorded actions
    # (enrollment records consent; STOP and Twilio's errors record the rest), never by editing.
    readonly_fields = (
        "consented_at",
        "sms_opted_out_at",
        "sms_failed_at",
        "sms_failed_code",
        "created_at",
    )

    @admin.action(description="Record consent to texts (clears an opt-out)")
    def record_consent(self, request: HttpRequest, patients: QuerySet[models.Patient]) -> None:
        self._consent_action(request, patients, consent.record_consent, "Consent recorded")

    @admin.action(description="Record an opt-out from texts given by phone")
    def record_phone_opt_out(
        self, request: HttpRequest, patients: QuerySet[models.Patient]
    ) -> None:
        self._consent_action(request, patients, consent.record_phone_opt_out, "Opt-out recorded")

    def _consent_action(
        self,
        request: HttpRequest,
        patients: QuerySet[models.Patient],
        record: Callable[[models.Patient, models.User, audit.Origin], bool],
        done: str,
    ) -> None:
        if not isinstance(request.user, models.User) or not access.can(
            request.user, Right.RECORD_CONSENT
        ):
            self.message_user(request, access.REASONS[Right.RECORD_CONSENT], messages.ERROR)
            return
        origin = audit_views.origin(request)
        changed = sum(record(patient, request.user, origin) for patient in patients)
        self.message_user(request, f"{done} for {changed} patient(s).")

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[BaseInlineFormSet],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Planning follows what changed: time zone, quiet hours, surgery date, protocol, status.
        changed = set(form.changed_data) & set(PLANNING_FIELDS["patient"])
        for formset in formsets:
            for inline in formset.forms:
                kind = "surgery" if formset.model is models.Surgery else "enrollment"
                if set(inline.changed_data) & set(PLANNING_FIELDS[kind]) or (
                    kind == "enrollment" and inline.instance.pk and not inline.initial
                ):
                    changed.add(kind)
        if changed:
            replan_after_change(form.instance.enrollments.all())


class ProtocolStepInline(admin.TabularInline):
    model = models.ProtocolStep
    extra = 0


@admin.register(models.Protocol)
class ProtocolAdmin(AuditedChanges, admin.ModelAdmin):
    list_display = ("name", "version", "care_team", "owner", "is_default", "created_at")
    # Both may be empty, so the admin would not join them by itself: not a query per row.
    list_select_related = ("care_team", "owner")
    inlines = [ProtocolStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.Protocol]:
        # The shared protocols and the user's teams' own; another team's open as if missing.
        return models.Protocol.objects.for_user(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can(request.user, Right.READ_PROTOCOLS)

    # Protocols are written on the protocol pages, which keep every version that enrollments
    # follow unchanged and each team's line its own. Here a name, a version or the default flag
    # decides which protocol every team's new patients follow: a superuser's repair only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request)


def _superuser(request: HttpRequest) -> bool:
    return access.can(request.user, Right.ADMINISTER) and getattr(
        request.user, "is_superuser", False
    )


@admin.register(models.Enrollment)
class EnrollmentAdmin(TeamScopedAdmin):
    form = EnrollmentForm
    list_display = ("patient", "protocol", "status", "enrolled_at")
    list_filter = ("status",)

    def save_model(
        self, request: HttpRequest, obj: models.Enrollment, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change or set(form.changed_data) & set(PLANNING_FIELDS["enrollment"]):
            replan_after_change([obj])


@admin.register(models.CheckIn)
class CheckInAdmin(TeamScopedAdmin):
    list_display = ("id", "enrollment", "due_at", "status", "question_index")
    list_filter = ("status",)
    date_hierarchy = "due_at"

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _DatedChangeList


class _DatedChangeList(ChangeList):
    """A date in the drill-down's address that Python cannot count past (?due_at__year=9999)
    is a bad lookup, as the admin answers any other: the list without it and a notice."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


@admin.register(models.InboundMessage)
class InboundMessageAdmin(TeamScopedAdmin):
    list_display = ("message_sid", "sender", "patient", "question", "received_at", "processed_at")
    # Nullable keys are not joined unless named: without this, a query per row.
    list_select_related = ("patient",)
    list_filter = ("sender",)
    search_fields = ("message_sid", "from_number")
    readonly_fields = [f.name for f in models.InboundMessage._meta.fields]


@admin.register(models.OutboundMessage)
class OutboundMessageAdmin(TeamScopedAdmin):
    list_display = ("id", "kind", "patient", "status", "error_code", "created_at", "twilio_sid")
    list_select_related = ("patient",)
    list_filter = ("kind", "status")
    search_fields = ("twilio_sid", "to")


class EscalationEventInline(admin.TabularInline):
    model = models.EscalationEvent
    extra = 0
    readonly_fields = ("kind", "actor", "message", "note", "at")


@admin.register(models.Escalation)
class EscalationAdmin(TeamScopedAdmin):
    list_display = ("patient", "severity", "status", "opened_at", "acknowledged_by", "outcome")
    list_select_related = ("patient", "acknowledged_by")
    list_filter = ("status", "severity")
    inlines = [EscalationEventInline]


@admin.register(models.Answer)
class AnswerAdmin(TeamScopedAdmin):
    list_display = ("patient", "question", "severity", "needs_review", "pain_score", "created_at")
