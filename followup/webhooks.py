"""Twilio webhooks: check the signature, store, queue the work after commit, answer at once."""

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from followup.consent import NUMBER_FAILURES, record_failed_number
from followup.conversation import BadRequest, receive_sms
from followup.models import OutboundMessage

log = logging.getLogger(__name__)

# Forward-only: a late "sent" callback never overwrites "delivered".
STATUS_RANK = {
    "queued": 0, "sending": 1, "accepted": 1, "scheduled": 1, "sent": 2, "delivered": 3,
    "undelivered": 3, "failed": 3, "canceled": 3, "partially_delivered": 3, "read": 4,
}  # fmt: skip


def public_url(request: HttpRequest) -> str:
    """The URL Twilio called and signed, which differs from ours behind a proxy."""
    base = settings.TWILIO_WEBHOOK_BASE_URL
    return base.rstrip("/") + request.get_full_path() if base else request.build_absolute_uri()


def twilio_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
        if not signature or not validator.validate(public_url(request), request.POST, signature):
            log.warning("rejected a webhook with a missing or wrong signature: %s", request.path)
            return HttpResponseForbidden("Invalid or missing X-Twilio-Signature")
        return view(request, *args, **kwargs)

    return checked


def twiml(response: MessagingResponse | VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


@twilio_webhook
def inbound_sms(request: HttpRequest) -> HttpResponse:
    params = {key: request.POST.get(key, "") for key in request.POST}
    try:
        count = int(params.get("NumMedia") or 0)
    except ValueError:
        return HttpResponseBadRequest("NumMedia must be a whole number")
    media = [params[f"MediaUrl{i}"] for i in range(count) if params.get(f"MediaUrl{i}")]
    try:
        received = receive_sms(params, media)
    except BadRequest as exc:
        return HttpResponseBadRequest(str(exc))
    response = MessagingResponse()
    if received.reply:
        response.message(received.reply)
    return twiml(response)


@twilio_webhook
def message_status(request: HttpRequest) -> HttpResponse:
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    if not sid or not status:
        return HttpResponseBadRequest("MessageSid and MessageStatus are required")
    if status not in STATUS_RANK:
        return HttpResponseBadRequest(f"Unknown MessageStatus {status!r}")
    error = request.POST.get("ErrorCode", "")
    message = OutboundMessage.objects.filter(twilio_sid=sid).first()
    if message is None:
        # Not ours, or a TwiML reply: nothing to update, and no reason for Twilio to retry.
        return HttpResponse(status=204)
    earlier = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    code = int(error) if error.isdigit() else None
    OutboundMessage.objects.filter(pk=message.pk, status__in=earlier).update(
        status=status, error_code=code or message.error_code, status_updated_at=timezone.now()
    )
    if message.patient is not None and code in NUMBER_FAILURES:
        record_failed_number(message.patient, code)
    return HttpResponse(status=204)
