"""The Django admin: care teams, staff, patients, protocols and the message log."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from followup import models
from followup.scheduling import PLANNING_FIELDS, replan_after_change


@admin.register(models.User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "phone", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Clinical role", {"fields": ("role", "phone")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Clinical role", {"fields": ("role", "phone")}))


class SafetyWordingInline(admin.StackedInline):
    model = models.SafetyWording
    extra = 0


@admin.register(models.CareTeam)
class CareTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "clinic_phone", "time_zone", "on_call", "backup")
    filter_horizontal = ("members",)
    inlines = [SafetyWordingInline]


class SurgeryInline(admin.TabularInline):
    model = models.Surgery
    extra = 0


class EnrollmentInline(admin.TabularInline):
    model = models.Enrollment
    extra = 0
    fields = ("surgery", "protocol", "status", "enrolled_at")


@admin.register(models.Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "mrn", "care_team", "language", "preferred_channel")
    list_filter = ("care_team", "language", "preferred_channel")
    search_fields = ("last_name", "first_name", "mrn", "phone")
    inlines = [SurgeryInline, EnrollmentInline]

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
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "owner", "is_default", "created_at")
    inlines = [ProtocolStepInline]


@admin.register(models.Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("patient", "protocol", "status", "enrolled_at")
    list_filter = ("status",)

    def save_model(
        self, request: HttpRequest, obj: models.Enrollment, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change or set(form.changed_data) & set(PLANNING_FIELDS["enrollment"]):
            replan_after_change([obj])


@admin.register(models.CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("id", "enrollment", "due_at", "status", "question_index")
    list_filter = ("status",)
    date_hierarchy = "due_at"


@admin.register(models.InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("message_sid", "sender", "patient", "question", "received_at", "processed_at")
    list_filter = ("sender",)
    search_fields = ("message_sid", "from_number")
    readonly_fields = [f.name for f in models.InboundMessage._meta.fields]


@admin.register(models.OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "patient", "status", "error_code", "created_at", "twilio_sid")
    list_filter = ("kind", "status")
    search_fields = ("twilio_sid", "to")


class EscalationEventInline(admin.TabularInline):
    model = models.EscalationEvent
    extra = 0
    readonly_fields = ("kind", "actor", "message", "note", "at")


@admin.register(models.Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("patient", "severity", "status", "opened_at", "acknowledged_by", "outcome")
    list_filter = ("status", "severity")
    inlines = [EscalationEventInline]


@admin.register(models.Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("patient", "question", "severity", "needs_review", "pain_score", "created_at")
