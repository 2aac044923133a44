"""The patient page: who they are, their check-ins and everything said, for their care team."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from followup import access, audit, audit_views, consent, patient_actions, patient_record
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.forms import (
    ConsentForm,
    ContactForm,
    NoteForm,
    ProtocolChoiceForm,
    StatusForm,
    TextForm,
)
from followup.models import Patient
from followup.patient_actions import ActionRefused


def _patient(request: AuthenticatedHttpRequest, pk: int) -> Patient:
    # Another team's patient is a 404 before anything is read or changed.
    return access.get_visible_or_404(
        Patient.objects.select_related("care_team__on_call"), request.user, pk=pk
    )


def _page(
    request: AuthenticatedHttpRequest, patient: Patient, status: int = 200, **bound: forms.BaseForm
) -> HttpResponse:
    """The page, with any form that failed shown as typed and its errors."""
    today = timezone.now().astimezone(patient.tz).date()
    show = request.GET.get("show", "")
    show = show if show in patient_record.SHOW else ""
    context: dict[str, Any] = {
        "patient": patient,
        "age": patient_record.age(patient, today),
        "postop_day": patient.postop_day(),
        "surgery": patient.surgeries.order_by("-date").first(),
        "on_call": patient_record.on_call(patient.care_team),
        "escalations": patient_record.open_escalations(patient),
        "schedule": patient_record.schedule(patient),
        "enrollment": patient_actions.current_enrollment(patient),
        "timeline": patient_record.timeline(patient, show),
        "show": show,
        "show_choices": list(patient_record.SHOW.items()),
        "text_refusal": patient_actions.text_refusal(patient),
        "text_form": TextForm(),
        "note_form": NoteForm(),
        "contact_form": ContactForm(instance=patient, prefix="contact"),
        "protocol_form": ProtocolChoiceForm(user=request.user),
    }
    context.update(bound)
    response = render(request, "patients/detail.html", context, status=status)
    audit_views.acted(request, audit.VIEW_PATIENT, patient, "patient page")
    return response


def _anonymised(request: AuthenticatedHttpRequest, patient: Patient) -> HttpResponse | None:
    """A record anonymised past retention takes no new details, notes, consent or follow-up:
    they would put identifying data back on it."""
    if patient.anonymised_at is None:
        return None
    messages.error(request, "This record was anonymised past retention: it cannot be changed.")
    return redirect("patient-detail", patient.pk)


def _done(request: AuthenticatedHttpRequest, patient: Patient, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("patient-detail", patient.pk)


@requires(Right.READ_DASHBOARD)
def patient_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, _patient(request, pk))


@requires(Right.RECORD_CONSENT)
@require_POST
def send_text(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # An anonymised record has no number: patient_actions.text_refusal says so (409).
    patient = _patient(request, pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        return _page(request, patient, 400, text_form=form)
    origin = audit_views.origin(request)
    try:
        patient_actions.send_text(patient, form.cleaned_data["body"], request.user, origin)
    except ActionRefused as exc:
        form.add_error(None, str(exc))
        return _page(request, patient, 409, text_form=form)
    return _done(request, patient, "Text queued for sending.")


@requires(Right.RECORD_CONSENT)
@require_POST
def add_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if refused := _anonymised(request, patient):
        return refused
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _page(request, patient, 400, note_form=form)
    data = form.cleaned_data
    origin = audit_views.origin(request)
    patient_actions.add_note(patient, data["text"], data["kind"], request.user, origin)
    return _done(request, patient, "Call recorded." if data["kind"] == "call" else "Note added.")


@requires(Right.RECORD_CONSENT)
@require_POST
def change_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if refused := _anonymised(request, patient):
        return refused
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose pause, resume or withdraw.")
        return redirect("patient-detail", patient.pk)
    action = form.cleaned_data["action"]
    try:
        enrollment = patient_actions.change_status(
            patient, action, request.user, audit_views.origin(request)
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("patient-detail", patient.pk)
    return _done(request, patient, f"Follow-up {enrollment.get_status_display().lower()}.")


@requires(Right.RECORD_CONSENT)
@require_POST
def edit_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if refused := _anonymised(request, patient):
        return refused
    form = ContactForm(request.POST, instance=patient, prefix="contact")
    if not form.is_valid():
        return _page(request, _patient(request, pk), 400, contact_form=form)
    changes = {field: form.cleaned_data[field] for field in form.changed_data}
    origin = audit_views.origin(request)
    replanned = patient_actions.update_contact(patient, changes, request.user, origin)
    note = f"; {replanned} check-ins planned again" if replanned else ""
    return _done(request, patient, f"Contact details saved{note}.")


@requires(Right.EDIT_PROTOCOLS)
@require_POST
def change_protocol(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if refused := _anonymised(request, patient):
        return refused
    form = ProtocolChoiceForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, patient, 400, protocol_form=form)
    protocol = form.cleaned_data["protocol"]
    origin = audit_views.origin(request)
    try:
        patient_actions.change_protocol(patient, protocol, request.user, origin)
    except ActionRefused as exc:
        form.add_error(None, str(exc))
        return _page(request, patient, 409, protocol_form=form)
    return _done(request, patient, f"Now on {protocol.name} version {protocol.version}.")


@requires(Right.RECORD_CONSENT)
@require_POST
def record_consent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if refused := _anonymised(request, patient):
        return refused
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose consent or opt-out.")
        return redirect("patient-detail", patient.pk)
    if form.cleaned_data["choice"] == "consent":
        changed = consent.record_consent(patient, request.user, audit_views.origin(request))
        done = "Consent to texts recorded." if changed else "Consent was already on file."
    else:
        changed = consent.record_phone_opt_out(patient, request.user, audit_views.origin(request))
        done = "Opt-out recorded: no more texts." if changed else "Already opted out."
    return _done(request, patient, done)
