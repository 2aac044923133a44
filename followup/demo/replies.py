"""Replies typed on the demo phone, posted to the SMS webhook signed as Twilio signs them."""

import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from twilio.request_validator import RequestValidator

from followup.models import Patient

# The webhook answers at once; Twilio itself gives up after 15 s.
POST_TIMEOUT = 15
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebhookError(Exception):
    """The reply could not be delivered to the SMS webhook; the message says why."""


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
