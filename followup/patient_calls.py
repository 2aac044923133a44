"""Check-in calls to patients (IVR): identity first, then each question by keypad or speech.

The views parse Twilio's request, call one service and answer TwiML; the answers are stored and
triaged by followup.inbound, and the check-in moves on in followup.checkins.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from twilio.twiml.voice_response import Gather, VoiceResponse

import triage
from followup import checkins, delivery, inbound, outage, twilio_params
from followup.models import Channel, CheckIn, OutboundMessage, Patient, Question, SafetyWording
from followup.sending import send_after_commit
from followup.speech import say, spoken_digits, spoken_number, voice_for
from followup.webhooks import (
    call_when_database_down,
    kept_when_database_down,
    twilio_webhook,
    twiml,
)
from followup.wording import render_message, render_safety_reply

MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")


def _call(pk: int) -> tuple[OutboundMessage, Patient]:
    """The check-in call and its patient; 404 for anything else (a page, a text, a stray id)."""
    call = get_object_or_404(
        OutboundMessage.objects.select_related("checkin", "patient__care_team"),
        pk=pk,
        channel=Channel.VOICE,
        checkin__isnull=False,
        patient__isnull=False,
    )
    if call.patient is None:  # excluded by the query; says so to the type checker
        raise Http404
    return call, call.patient


def _checkin(call: OutboundMessage) -> CheckIn:
    """The call's check-in as it stands now (another request may have moved it on)."""
    if call.checkin_id is None:  # excluded by _call's query
        raise Http404
    return CheckIn.objects.get(pk=call.checkin_id)


def _say(node: VoiceResponse | Gather, patient: Patient, name: str, **context: object) -> None:
    team = patient.care_team
    text = render_message(
        name,
        patient.language,
        team=team.name,
        clinic_phone=spoken_number(team.clinic_phone),
        first_name=patient.first_name,
        **context,
    )
    say(node, spoken_digits(text), patient.language)


def _say_safety(response: VoiceResponse, patient: Patient, kind: str, times: int = 1) -> None:
    team = patient.care_team
    reply = render_safety_reply(
        team, kind, patient.language, clinic_phone=spoken_number(team.clinic_phone)
    )
    for _ in range(times):
        say(response, spoken_digits(reply), patient.language)


@twilio_webhook
@call_when_database_down(outage.OUTAGE_CALL)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """The call is answered: a machine hears only a callback number, a person the identity check."""
    call, patient = _call(pk)
    response = VoiceResponse()
    if request.POST.get("AnsweredBy", "") in MACHINE:
        delivery.record_call_outcome(call, "machine")
        _say(response, patient, "voice_machine")
        response.hangup()
        return twiml(response)
    delivery.record_call_outcome(call, "answered")
    _gather_identity(response, call, patient, retry=0)
    return twiml(response)


def _gather_identity(
    response: VoiceResponse, call: OutboundMessage, patient: Patient, retry: int
) -> None:
    _, language = voice_for(patient.language)
    action = reverse("ivr-identity", args=[call.pk]) + f"?retry={retry}"
    gather = response.gather(
        input="dtmf speech",
        num_digits=1,
        timeout=6,
        speech_timeout="auto",
        language=language,
        action=action,
        action_on_empty_result=True,
        hints="yes, sí",
    )
    if retry:
        _say(gather, patient, "voice_reprompt")
    _say(gather, patient, "voice_greeting")


@twilio_webhook
@call_when_database_down(outage.OUTAGE_CALL)
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    call, patient = _call(pk)
    response = VoiceResponse()
    if triage.confirms_identity(
        request.POST.get("SpeechResult", ""), request.POST.get("Digits", "")
    ):
        delivery.record_call_outcome(call, "identified")
        response.redirect(reverse("ivr-question", args=[call.pk]))
        return twiml(response)
    if request.GET.get("retry") == "0":
        _gather_identity(response, call, patient, retry=1)
        return twiml(response)
    # Whoever answered is not confirmed as the patient: no health information, ever.
    delivery.record_call_outcome(call, "identity_failed")
    _say(response, patient, "voice_identity_failed")
    response.hangup()
    return twiml(response)


@twilio_webhook
@call_when_database_down(outage.OUTAGE_CALL)
def question(request: HttpRequest, pk: int) -> HttpResponse:
    call, patient = _call(pk)
    checkin = _checkin(call)
    response = VoiceResponse()
    code = checkin.current_question
    if code is None or checkin.status != CheckIn.Status.AWAITING:
        closing = checkins.finish_call(checkin)
        if closing is not None:
            send_after_commit(closing)
        _say(response, patient, "voice_closing")
        response.hangup()
        return twiml(response)
    retry = int(request.GET.get("retry", "0") == "1")
    _, language = voice_for(patient.language)
    action = reverse("ivr-answer", args=[call.pk, checkin.question_index]) + f"?retry={retry}"
    yes_no = code not in (Question.GENERAL, Question.PAIN)
    gather = response.gather(
        input="dtmf speech",
        num_digits=1 if yes_no else None,
        finish_on_key="#",
        timeout=7,
        speech_timeout="auto",
        language=language,
        action=action,
        action_on_empty_result=True,
    )
    if retry:
        _say(gather, patient, "voice_reprompt")
    _say(gather, patient, f"voice_question_{code}")
    if yes_no:
        _say(gather, patient, "voice_yes_no")
    return twiml(response)


def spoken_text(code: str, digits: str, speech: str) -> str | None:
    """What the patient answered, as text for the parser; None for no or an invalid answer."""
    if speech:
        return speech
    if code == Question.PAIN:
        # ASCII digits only: "²" is a digit to Python but no key on a phone.
        return digits if re.fullmatch(r"[0-9]|10", digits) else None
    if code != Question.GENERAL:
        return {"1": "yes", "2": "no"}.get(digits)
    return None


def confidence(value: str) -> float | None:
    """Twilio's speech confidence, between 0 and 1; "nan" or "1e999" is no confidence at all."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0.0 <= number <= 1.0 else None


@twilio_webhook
@call_when_database_down(outage.OUTAGE_CALL)
def answer(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    call, patient = _call(pk)
    checkin = _checkin(call)
    response = VoiceResponse()
    next_question = reverse("ivr-question", args=[call.pk])
    code = checkin.current_question
    if checkin.question_index != index or code is None:
        # A retried request for an answer already taken: carry on from where the call is.
        response.redirect(next_question)
        return twiml(response)
    speech = request.POST.get("SpeechResult", "").strip()
    text = spoken_text(code, request.POST.get("Digits", "").strip("#"), speech)
    if text is None:
        if request.GET.get("retry") == "0":
            response.redirect(next_question + "?retry=1")
        else:
            checkins.call_moved_on(checkin.pk, index)
            response.redirect(next_question)
        return twiml(response)
    heard = confidence(request.POST.get("Confidence", "")) if speech else None
    params = twilio_params.parse(request.POST)
    kind = inbound.answer_by_voice(call, patient, checkin, code, text, heard, params)
    if kind == SafetyWording.Kind.EMERGENCY:
        # Told at once, before anything else: the patient must act now.
        _say_safety(response, patient, kind, times=2)
        response.hangup()
        return twiml(response)
    if kind is not None:
        # The same advice a text gets, when it is given; the call then goes on.
        _say_safety(response, patient, kind)
    response.redirect(next_question)
    return twiml(response)


@twilio_webhook
@kept_when_database_down("call-status")
def call_status(request: HttpRequest) -> HttpResponse:
    twilio_params.require(request.POST, "CallSid")
    delivery.record_call_status(request.POST.get("CallSid", ""), request.POST.get("CallStatus", ""))
    return HttpResponse(status=204)
