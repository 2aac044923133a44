"""Absolute URLs: those Twilio calls back (and signs), and links to clinicians."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# Where a development server listens when no public base URL is set.
LOCAL = "http://127.0.0.1:8000"


def twilio_url(path: str, request: HttpRequest | None = None) -> str:
    """The URL Twilio calls for `path`, which is also the one it signs.

    The public webhook base URL when set (behind a proxy it differs from ours); else the host
    of the request being answered, or the public or local server.
    """
    base = settings.TWILIO_WEBHOOK_BASE_URL
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return (settings.PUBLIC_BASE_URL or LOCAL).rstrip("/") + path


def status_callback_url() -> str | None:
    """Where Twilio reports delivery; none without a public base URL, which it could not reach."""
    base = settings.TWILIO_WEBHOOK_BASE_URL
    return base.rstrip("/") + reverse("twilio-status") if base else None


def public_link(path: str) -> str:
    """A link for a clinician's page or text, to a page of ours."""
    return (settings.PUBLIC_BASE_URL or LOCAL).rstrip("/") + path
