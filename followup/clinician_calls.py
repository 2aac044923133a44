"""Calls that page a clinician: read the finding, take "press 1" as an acknowledgement."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from twilio.twiml.voice_response import VoiceResponse

from followup import escalation as escalations
from followup.models import Escalation, OutboundMessage
from followup.speech import say
from followup.webhooks import twilio_webhook, twiml
from followup.wording import render_message


def _page(pk: int) -> OutboundMessage:
    return get_object_or_404(
        OutboundMessage.objects.select_related("escalation", "staff"),
        pk=pk,
        kind=OutboundMessage.Kind.PAGE,
    )


@twilio_webhook
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


@twilio_webhook
def page_ack(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(pk)
    response = VoiceResponse()
    if request.POST.get("Digits") != "1":
        response.redirect(reverse("twilio-voice-page", args=[pk]))
        return twiml(response)
    if page.escalation is not None and page.staff is not None:
        if page.escalation.status == Escalation.Status.OPEN:
            escalations.acknowledge(page.escalation.pk, page.staff)
        say(response, render_message("page_voice_acknowledged", "en"), "en")
    response.hangup()
    return twiml(response)
