"""Twilio webhooks: check the signature, store (the stored row is the work item), answer at once.

While the database is down they answer all the same and spool the request (followup/outage.py).
"""

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

from followup import delivery, metrics, outage, spool, twilio_params
from followup.inbound import receive_sms
from followup.links import twilio_url
from followup.models import Channel
from followup.speech import say
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


Fallback = Callable[[HttpRequest, Exception], HttpResponse]


def when_database_down(
    fallback: Fallback,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view's database work under the outage deadline; `fallback` answers if it fails."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def answered(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            try:
                with outage.deadline():
                    return view(request, *args, **kwargs)
            except outage.DATABASE_DOWN as exc:
                return fallback(request, exc)

        return answered

    return wrap


def call_when_database_down(
    words: dict[str, str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A call's step without the database: the caller hears `words` (by language), then it ends."""

    def ended(request: HttpRequest, exc: Exception) -> HttpResponse:
        outage.call_failed(request.path, exc)
        return ended_call(words)

    return when_database_down(ended)


def ended_call(words: dict[str, str]) -> HttpResponse:
    """TwiML that says `words` (by language) and hangs up."""
    response = VoiceResponse()
    for lang, text in words.items():
        say(response, text, lang)
    response.hangup()
    return twiml(response)


def kept_when_database_down(
    route: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A status callback without the database: kept in the spool under `route`, answered 204."""

    def kept(request: HttpRequest, exc: Exception) -> HttpResponse:
        try:
            outage.keep(route, request.path, request.POST, exc)
        except spool.SpoolError:
            return spool_failed()
        return HttpResponse(status=204)

    return when_database_down(kept)


def spool_failed() -> HttpResponse:
    return HttpResponse(
        "The database and the spool are both unavailable: this request was not kept.",
        status=503,
        content_type="text/plain",
    )


def twiml(response: MessagingResponse | VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


def _sms_kept(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A text without the database: kept in the spool, answered with the same safety reply."""
    # As the view asks, also when the deadline refused the database before the view ran.
    twilio_params.require(request.POST, "MessageSid")
    try:
        reply = outage.keep_sms(request.path, request.POST, exc)
    except spool.SpoolError:
        return spool_failed()
    metrics.inbound(Channel.SMS, "spooled")
    return _sms_answer(reply)


@twilio_webhook
@when_database_down(_sms_kept)
def inbound_sms(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "MessageSid")
    received = receive_sms(twilio_params.parse(request.POST))
    metrics.inbound(Channel.SMS, "duplicate" if received.duplicate else "stored")
    return _sms_answer(received.reply)


def _sms_answer(reply: str) -> HttpResponse:
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return twiml(response)


@csrf_exempt
@require_POST
def empty_twiml(request: HttpRequest) -> HttpResponse:
    """No checks, no database: the floor of a webhook's cost (tests/bench_webhook.py)."""
    return twiml(MessagingResponse())


@twilio_webhook
@kept_when_database_down("status")
def message_status(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "MessageSid")
    delivery.record_message_status(twilio_params.parse(request.POST))
    # Whatever we made of it, a retry would bring the same callback again.
    return HttpResponse(status=204)
