"""Demo-only pages: play a patient's phone. They answer 404 unless DEMO_MODE is on."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def phone(request: HttpRequest, patient_id: int | None = None) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404("The patient phone exists only in demo mode.")
    raise Http404("Not built yet.")
