"""Voice check-ins: identity first, then each question by keypad or speech, through one parser."""

import re

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from twilio.twiml.voice_response import Gather, VoiceResponse

import triage
from followup import twilio_params
from followup.conversation import closing_message, queue_processing, triage_reply
from followup.models import (
    Channel,
    CheckIn,
    InboundMessage,
    OutboundMessage,
    Patient,
    Question,
    SafetyWording,
)
from followup.sending import send_after_commit
from followup.speech import voice_for
from followup.webhooks import twilio_webhook, twiml
from followup.wording import render_message, render_safety_reply, safety_kind

# Speech recognised with less confidence than this goes to a nurse.
LOW_CONFIDENCE = 0.5
YES_WORDS = {"yes", "yeah", "yep", "correct", "si", "sí", "claro", "soy yo"}
MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")


def _call(pk: int) -> OutboundMessage:
    return get_object_or_404(
        OutboundMessage.objects.select_related("checkin", "patient__care_team"),
        pk=pk,
        channel=Channel.VOICE,
        checkin__isnull=False,
        patient__isnull=False,
    )


def _say(node: VoiceResponse | Gather, patient: Patient, name: str, **context: object) -> None:
    voice, language = voice_for(patient.language)
    team = patient.care_team
    text = render_message(
        name,
        patient.language,
        team=team.name,
        clinic_phone=spoken_number(team.clinic_phone),
        first_name=patient.first_name,
        **context,
    )
    node.say(spoken_digits(text), voice=voice, language=language)


def _say_safety(response: VoiceResponse, patient: Patient, kind: str, times: int = 1) -> None:
    voice, language = voice_for(patient.language)
    team = patient.care_team
    reply = render_safety_reply(
        team, kind, patient.language, clinic_phone=spoken_number(team.clinic_phone)
    )
    for _ in range(times):
        response.say(spoken_digits(reply), voice=voice, language=language)


def spoken_digits(text: str) -> str:
    """911 said as "nine one one" ("nueve uno uno"), never "nine hundred eleven"."""
    return re.sub(r"\b911\b", "9 1 1", text)


def spoken_number(e164: str) -> str:
    """Digits read one by one ("3 1 2 ..."), without the +1 a caller never dials."""
    digits = e164[2:] if e164.startswith("+1") else e164.lstrip("+")
    return " ".join(digits)


def _outcome(call: OutboundMessage, outcome: str) -> None:
    OutboundMessage.objects.filter(pk=call.pk).update(call_outcome=outcome)


@twilio_webhook
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """The call is answered: a machine hears only a callback number, a person the identity check."""
    call = _call(pk)
    patient = call.patient
    response = VoiceResponse()
    if request.POST.get("AnsweredBy", "") in MACHINE:
        _outcome(call, "machine")
        _say(response, patient, "voice_machine")
        response.hangup()
        return twiml(response)
    _outcome(call, "answered")
    _gather_identity(response, call, retry=0)
    return twiml(response)


def _gather_identity(response: VoiceResponse, call: OutboundMessage, retry: int) -> None:
    patient = call.patient
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
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    patient = call.patient
    response = VoiceResponse()
    speech = request.POST.get("SpeechResult", "").strip(" .!?¡¿").lower()
    if request.POST.get("Digits") == "1" or speech in YES_WORDS:
        _outcome(call, "identified")
        response.redirect(reverse("ivr-question", args=[call.pk]))
        return twiml(response)
    if request.GET.get("retry") == "0":
        _gather_identity(response, call, retry=1)
        return twiml(response)
    # Whoever answered is not confirmed as the patient: no health information, ever.
    _outcome(call, "identity_failed")
    _say(response, patient, "voice_identity_failed")
    response.hangup()
    return twiml(response)


@twilio_webhook
def question(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    checkin = CheckIn.objects.get(pk=call.checkin_id)
    patient = call.patient
    response = VoiceResponse()
    code = checkin.current_question
    if code is None or checkin.status != CheckIn.Status.AWAITING:
        _finish(response, checkin, patient)
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


@twilio_webhook
def answer(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    call = _call(pk)
    patient = call.patient
    checkin = CheckIn.objects.get(pk=call.checkin_id)
    response = VoiceResponse()
    if checkin.question_index != index or checkin.current_question is None:
        # A retried request for an answer already taken: carry on from where the call is.
        response.redirect(reverse("ivr-question", args=[call.pk]))
        return twiml(response)
    code = checkin.current_question
    speech = request.POST.get("SpeechResult", "").strip()
    text = spoken_text(code, request.POST.get("Digits", "").strip("#"), speech)
    if text is None:
        if request.GET.get("retry") == "0":
            response.redirect(reverse("ivr-question", args=[call.pk]) + "?retry=1")
        else:
            _next_question(checkin, index)
            response.redirect(reverse("ivr-question", args=[call.pk]))
        return twiml(response)
    confidence = _confidence(request.POST.get("Confidence", "")) if speech else None
    assessment = _store_answer(request, call, checkin, code, text, confidence)
    severity = assessment.severity if assessment is not None else triage.Severity.NONE
    kind = safety_kind(patient.care_team, severity, timezone.now())
    if kind == SafetyWording.Kind.EMERGENCY:
        # Told at once, before anything else: the patient must act now.
        _say_safety(response, patient, kind, times=2)
        # Only a check-in still open: a cancelled or closed one (withdrawn mid-call) stays so.
        CheckIn.objects.filter(
            pk=checkin.pk, status__in=[CheckIn.Status.SENDING, CheckIn.Status.AWAITING]
        ).update(status=CheckIn.Status.ESCALATED, closed_at=timezone.now())
        response.hangup()
        return twiml(response)
    if kind is not None:
        # The same advice a text gets, when it is given; the call then goes on.
        _say_safety(response, patient, kind)
    _next_question(checkin, index)
    response.redirect(reverse("ivr-question", args=[call.pk]))
    return twiml(response)


def _confidence(value: str) -> float | None:
    try:
        confidence = float(value)
    except ValueError:
        return None
    # Twilio's confidence is between 0 and 1; "nan" or "1e999" is no confidence at all.
    return confidence if 0.0 <= confidence <= 1.0 else None


def _store_answer(
    request: HttpRequest,
    call: OutboundMessage,
    checkin: CheckIn,
    code: str,
    text: str,
    confidence: float | None,
) -> triage.Assessment | None:
    patient = call.patient
    text = twilio_params.storable(text)
    assessment = triage_reply(text, code, patient, checkin, channel=Channel.VOICE)
    stored = assessment.to_dict() if assessment else None
    if stored is not None and confidence is not None and confidence < LOW_CONFIDENCE:
        # Unsure what was said: a nurse looks, whatever the parser made of it.
        stored["needs_review"] = bool(stored["findings"])
    sid = f"{request.POST.get('CallSid') or call.twilio_sid}:{checkin.question_index}"
    params = twilio_params.parse(request.POST)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_sid=sid,
                channel=Channel.VOICE,
                speech_confidence=confidence,
                from_number=patient.phone,
                to_number=params.get("From"),
                body=text,
                originals=params.originals_json(),
                sender=InboundMessage.Sender.PATIENT,
                patient=patient,
                checkin=checkin,
                question=code,
                assessment=stored,
            )
            transaction.on_commit(lambda: queue_processing(message.pk))
    except IntegrityError:
        return None
    return assessment


def _next_question(checkin: CheckIn, index: int) -> None:
    # Conditional, so a retried webhook never skips a question.
    CheckIn.objects.filter(pk=checkin.pk, question_index=index).update(question_index=index + 1)


def _finish(response: VoiceResponse, checkin: CheckIn, patient: Patient) -> None:
    if checkin.status == CheckIn.Status.AWAITING:
        with transaction.atomic():
            CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.AWAITING).update(
                status=CheckIn.Status.COMPLETED, closed_at=timezone.now()
            )
            checkin.refresh_from_db()
            # After the last check-in, the follow-up's closing text (the call said thanks).
            closing = closing_message(checkin, thank=False)
            if closing is not None:
                send_after_commit(closing)
    _say(response, patient, "voice_closing")
    response.hangup()


@twilio_webhook
def call_status(request: HttpRequest) -> HttpResponse:
    """Call progress: busy, no answer and failures lead to the non-responder path."""
    twilio_params.require(request.POST, "CallSid")
    sid = request.POST.get("CallSid", "")
    status = request.POST.get("CallStatus", "")
    call = OutboundMessage.objects.filter(twilio_sid=sid, channel=Channel.VOICE).first()
    if call is None:
        return HttpResponse(status=204)
    if status in ("busy", "no-answer", "failed", "canceled"):
        OutboundMessage.objects.filter(pk=call.pk).update(
            call_outcome=status, status_updated_at=timezone.now()
        )
        # The check-in stays open: a reminder and the end-of-day "no response" item follow.
        CheckIn.objects.filter(
            pk=call.checkin_id, status__in=[CheckIn.Status.SENDING, CheckIn.Status.AWAITING]
        ).update(status=CheckIn.Status.AWAITING, prompted_at=timezone.now())
    elif status == "completed":
        OutboundMessage.objects.filter(pk=call.pk, status__in=["accepted", "sending"]).update(
            status=OutboundMessage.Status.DELIVERED, status_updated_at=timezone.now()
        )
    return HttpResponse(status=204)
