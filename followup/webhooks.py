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

from followup import twilio_params
from followup.consent import NUMBER_FAILURES, record_failed_number
from followup.conversation import receive_sms
from followup.links import twilio_url
from followup.models import OutboundMessage
from followup.twilio_params import BadRequest

log = logging.getLogger(__name__)

# Forward-only: a late "sent" callback never overwrites "delivered".
STATUS_RANK = {
    "queued": 0, "sending": 1, "accepted": 1, "scheduled": 1, "sent": 2, "delivered": 3,
    "undelivered": 3, "failed": 3, "canceled": 3, "partially_delivered": 3, "read": 4,
}  # fmt: skip


def twilio_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
        if not signature or not validator.validate(
            twilio_url(request.get_full_path(), request), request.POST, signature
        ):
            log.warning("rejected a webhook with a missing or wrong signature: %s", request.path)
            return HttpResponseForbidden("Invalid or missing X-Twilio-Signature")
        try:
            twilio_params.check_sids(request.POST)
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return HttpResponseBadRequest(str(exc))

    return checked


def twiml(response: MessagingResponse | VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


@twilio_webhook
def inbound_sms(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "MessageSid")
    received = receive_sms(twilio_params.parse(request.POST))
    response = MessagingResponse()
    if received.reply:
        response.message(received.reply)
    return twiml(response)


@twilio_webhook
def message_status(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "MessageSid")
    params = twilio_params.parse(request.POST)
    sid, status = params.get("MessageSid"), params.get("MessageStatus")
    message = OutboundMessage.objects.filter(twilio_sid=sid).first()
    if message is None:
        # Not ours, or a TwiML reply: nothing to update, and no reason for Twilio to retry.
        return HttpResponse(status=204)
    if status not in STATUS_RANK:
        # Twilio adds statuses over time; a retry would bring the same one again.
        log.warning("status callback for %s with an unknown status %r", sid, status[:40])
        return HttpResponse(status=204)
    earlier = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    raw_code = params.get("ErrorCode")
    code = twilio_params.error_code(raw_code)
    unread = f"Twilio reported error code {raw_code[:40]!r}" if raw_code and code is None else ""
    OutboundMessage.objects.filter(pk=message.pk, status__in=earlier).update(
        status=status,
        error_code=code or message.error_code,
        error_message=unread or message.error_message,
        status_updated_at=timezone.now(),
    )
    if message.patient is not None and code in NUMBER_FAILURES:
        record_failed_number(message.patient, code)
    return HttpResponse(status=204)
