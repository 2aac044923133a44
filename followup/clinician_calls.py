"""Calls that page a clinician: read the finding, take "press 1" as an acknowledgement.

Without the database the call says it cannot read the page; a 1 pressed then is kept in the spool
(followup/outage.py) and recorded, at the time it was pressed, once the database is back.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from twilio.twiml.voice_response import VoiceResponse

from followup import escalation as escalations
from followup import outage, spool
from followup.models import OutboundMessage
from followup.speech import say
from followup.webhooks import (
    call_when_database_down,
    ended_call,
    twilio_webhook,
    twiml,
    when_database_down,
)
from followup.wording import render_message


def _page(pk: int) -> OutboundMessage:
    return get_object_or_404(
        OutboundMessage.objects.select_related("escalation", "staff"),
        pk=pk,
        kind=OutboundMessage.Kind.PAGE,
    )


@twilio_webhook
@call_when_database_down({"en": outage.OUTAGE_PAGE_CALL})
def page_call(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(pk)
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf", num_digits=1, timeout=8, action=reverse("twilio-voice-page-ack", args=[pk])
    )
    # Said twice: the first time often lands while the phone is still at the ear.
    say(gather, page.body, "en")
    gather.pause(length=1)
    say(gather, page.body, "en")
    say(response, render_message("page_voice_no_answer", "en"), "en")
    return twiml(response)


def _ack_without_database(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A 1 is kept for replay; any other key has nothing to keep."""
    if request.POST.get("Digits") != "1":
        outage.call_failed(request.path, exc)
        return ended_call({"en": outage.OUTAGE_PAGE_CALL})
    try:
        outage.keep("page-ack", request.path_info, request.POST, exc)
    except spool.SpoolError:
        return ended_call({"en": outage.OUTAGE_PAGE_ACK_LOST})
    return ended_call({"en": outage.OUTAGE_PAGE_ACK_KEPT})


@twilio_webhook
@when_database_down(_ack_without_database)
def page_ack(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(pk)
    response = VoiceResponse()
    if request.POST.get("Digits") != "1":
        response.redirect(reverse("twilio-voice-page", args=[pk]))
        return twiml(response)
    if escalations.acknowledge_page(page):
        say(response, render_message("page_voice_acknowledged", "en"), "en")
    response.hangup()
    return twiml(response)
