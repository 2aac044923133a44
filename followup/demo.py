"""Demo-only pages: play a patient's phone. They answer 404 unless DEMO_MODE is on."""

import datetime as dt
import functools
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from twilio.request_validator import RequestValidator

from followup.links import twilio_url
from followup.models import CheckIn, Escalation, InboundMessage, OutboundMessage, Patient

log = logging.getLogger(__name__)

THREAD_LIMIT = 80
# The webhook answers at once; Twilio itself gives up after 15 s.
POST_TIMEOUT = 15
MAX_SMS_LENGTH = 1600
# What a phone has actually received; queued or failed texts never reached it.
RECEIVED = [
    OutboundMessage.Status.ACCEPTED,
    OutboundMessage.Status.SENT,
    OutboundMessage.Status.DELIVERED,
    OutboundMessage.Status.READ,
    OutboundMessage.Status.REPLIED,
]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebhookError(Exception):
    """The reply could not be delivered to the SMS webhook; the message says why."""


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


@dataclass(frozen=True)
class Bubble:
    at: dt.datetime
    sent_by_patient: bool
    body: str
    note: str = ""


def demo_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 outside demo mode, before anything else (a login page would reveal the page exists)."""

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


def demo_patients() -> QuerySet[Patient]:
    """Patients to play, with when their next check-in text is due and any open escalation."""
    unresolved = Escalation.objects.filter(patient=OuterRef("pk")).exclude(
        status=Escalation.Status.RESOLVED
    )
    return Patient.objects.annotate(
        next_checkin_at=Min(
            "enrollments__checkins__due_at",
            filter=Q(enrollments__checkins__status=CheckIn.Status.PENDING),
        ),
        has_escalation=Exists(unresolved),
    ).order_by("last_name", "first_name")


def thread(patient: Patient, limit: int = THREAD_LIMIT) -> dict[str, object]:
    """The texts this patient's phone received and sent, oldest first, the last `limit` of them."""
    # One more of each than shown, so "older texts are not shown" is known to be true.
    received = OutboundMessage.objects.filter(to=patient.phone, status__in=RECEIVED)
    sent = InboundMessage.objects.filter(from_number=patient.phone)
    bubbles = [
        Bubble(message.created_at, False, message.body, _note(message))
        for message in received.order_by("-created_at")[: limit + 1]
    ]
    bubbles += [
        Bubble(message.received_at, True, message.body)
        for message in sent.order_by("-received_at")[: limit + 1]
    ]
    # A patient's text comes before the safety reply written in the same instant.
    bubbles.sort(key=lambda bubble: (bubble.at, not bubble.sent_by_patient))
    return {"bubbles": bubbles[-limit:], "truncated": len(bubbles) > limit}


def _note(message: OutboundMessage) -> str:
    if message.kind == OutboundMessage.Kind.SAFETY:
        return "automatic safety reply"
    return ""


def inbound_params(from_number: str, body: str) -> dict[str, str]:
    """The form Twilio posts for an incoming SMS."""
    sid = "SM" + uuid.uuid4().hex
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": settings.TWILIO_ACCOUNT_SID,
        "From": from_number,
        "To": settings.TWILIO_FROM_NUMBER,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }


def send_as_patient(url: str, patient: Patient, body: str) -> str:
    """Text the clinic from the patient's phone, the way Twilio delivers it; returns the TwiML."""
    return post_signed(url, inbound_params(patient.phone, body))


def post_signed(url: str, params: dict[str, str]) -> str:
    """POST a form signed as Twilio signs it, through the real signature check."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookError(f"The webhook URL {url} is not http(s).")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=urlencode(params).encode(),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    # A proxy from the environment must not stand between this server and itself.
    handlers = [urllib.request.ProxyHandler({})] if parts.hostname in LOOPBACK else []
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=POST_TIMEOUT) as answer:
            return str(answer.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        hint = " Check TWILIO_AUTH_TOKEN and TWILIO_WEBHOOK_BASE_URL." if exc.code == 403 else ""
        raise WebhookError(
            f"The SMS webhook at {url} answered HTTP {exc.code} ({exc.reason}), "
            f"so the text was not delivered.{hint}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookError(
            f"Could not reach the SMS webhook at {url} ({reason}), so the text was not delivered. "
            "Is the web server running?"
        ) from exc
