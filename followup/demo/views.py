"""The patient phone page: pick a patient, read their texts, reply as them."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from followup.demo.replies import WebhookError, send_as_patient
from followup.demo.thread import demo_patients, thread
from followup.links import twilio_url
from followup.models import Patient

log = logging.getLogger(__name__)

MAX_SMS_LENGTH = 1600


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Text message",
        max_length=MAX_SMS_LENGTH,
        error_messages={
            "required": "Type a message to send.",
            "max_length": f"A text can be at most {MAX_SMS_LENGTH} characters.",
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def demo_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 outside demo mode, before anything else (a login page would reveal the page exists)."""

    # The app is installed only in demo mode; this guard holds even if it were installed by hand.
    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEMO_MODE:
            raise Http404("The patient phone exists only in demo mode.")
        return view(request, *args, **kwargs)

    return checked


@demo_only
@login_required
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest, patient_id: int | None = None) -> HttpResponse:
    if patient_id is None:
        context = {"patients": demo_patients(), "now": timezone.now()}
        return render(request, "demo/patients.html", context)
    patient = get_object_or_404(Patient.objects.select_related("care_team"), pk=patient_id)
    if request.method == "GET" and request.GET.get("partial") == "thread":
        return render(request, "demo/_thread.html", {"patient": patient, **thread(patient)})
    form = ReplyForm(request.POST if request.method == "POST" else None)
    error = ""
    if form.is_valid():
        try:
            send_as_patient(
                twilio_url(reverse("twilio-sms"), request), patient, form.cleaned_data["body"]
            )
        except WebhookError as exc:
            log.warning("demo reply from patient %s was not delivered: %s", patient.pk, exc)
            error = str(exc)
        else:
            return redirect("demo-phone-patient", patient_id=patient.pk)
    context = {"patient": patient, "form": form, "error": error, **thread(patient)}
    return render(request, "demo/phone.html", context)
