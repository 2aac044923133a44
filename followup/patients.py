"""The patient page: who they are, their check-ins and everything said, for their care team."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from followup import access, audit, audit_views, patient_record
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.models import Patient


@requires(Right.READ_DASHBOARD)
def patient_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = access.get_visible_or_404(
        Patient.objects.select_related("care_team__on_call"), request.user, pk=pk
    )
    today = timezone.now().astimezone(patient.tz).date()
    context = {
        "patient": patient,
        "age": patient_record.age(patient, today),
        "postop_day": patient.postop_day(),
        "surgery": patient.surgeries.order_by("-date").first(),
        "on_call": patient_record.on_call(patient.care_team),
        "escalations": patient_record.open_escalations(patient),
        "schedule": patient_record.schedule(patient),
        "timeline": patient_record.timeline(patient),
    }
    response = render(request, "patients/detail.html", context)
    audit_views.acted(request, audit.VIEW_PATIENT, patient, "patient page")
    return response
