"""The pain chart's data for the patient page, as JSON."""

from django.http import HttpResponse, JsonResponse

from followup import access, audit, audit_views, patient_chart
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.models import Patient


@requires(Right.READ_DASHBOARD)
def patient_chart_json(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    patient = access.get_visible_or_404(Patient.objects.all(), request.user, pk=pk)
    response = JsonResponse(patient_chart.chart_data(patient))
    response["Cache-Control"] = "private, no-store"
    audit_views.acted(request, audit.VIEW_CHART, patient, "pain chart")
    return response
