"""Twilio webhooks: check the signature, store, queue the work after commit, answer at once."""

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from followup import delivery, metrics, twilio_params
from followup.inbound import receive_sms
from followup.links import twilio_url
from followup.models import Channel
from followup.twilio_params import BadRequest

log = logging.getLogger(__name__)


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
    metrics.inbound(Channel.SMS, "duplicate" if received.duplicate else "stored")
    response = MessagingResponse()
    if received.reply:
        response.message(received.reply)
    return twiml(response)


@twilio_webhook
def message_status(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "MessageSid")
    delivery.record_message_status(twilio_params.parse(request.POST))
    # Whatever we made of it, a retry would bring the same callback again.
    return HttpResponse(status=204)
