"""The IVR driven end to end by signed webhook requests, in English and Spanish."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from followup.conversation import process_inbound
from followup.dispatch import dispatch_due
from followup.models import (
    Answer,
    CheckIn,
    Escalation,
    InboundMessage,
    OutboundMessage,
)
from tests.factories import make_enrolled_patient, make_team, make_user

CALL_SID = "CA" + "7" * 32


def start_call(outbox, **patient):
    """A voice patient's check-in is due: dispatch places the call; returns (patient, call)."""
    patient, enrollment = make_enrolled_patient(preferred_channel="voice", **patient)
    checkin = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=checkin.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    dispatch_due()
    call = OutboundMessage.objects.get(checkin=checkin, channel="voice")
    return patient, call


@pytest.fixture
def twilio_call(twilio_post):
    """POST as Twilio does during a call, following <Redirect>s like Twilio would."""

    def post(path, **params):
        return twilio_post(path, {"CallSid": CALL_SID, "AccountSid": "AC" + "0" * 32, **params})

    return post


def redirect_target(response) -> str:
    match = re.search(r"<Redirect>([^<]+)</Redirect>", response.content.decode())
    assert match, response.content.decode()
    return match.group(1).replace("&amp;", "&")


def gather_action(response) -> str:
    match = re.search(r'action="([^"]+)"', response.content.decode())
    assert match, response.content.decode()
    return match.group(1).replace("&amp;", "&")


def identified(twilio_call, call, answer="1"):
    greeting = twilio_call(reverse("ivr-start", args=[call.pk]), AnsweredBy="human")
    response = twilio_call(gather_action(greeting), Digits=answer)
    return twilio_call(redirect_target(response))


def answer(twilio_call, question_response, **params):
    """Answer the question in `question_response`; returns the next question's TwiML."""
    response = twilio_call(gather_action(question_response), **params)
    if "<Redirect>" in response.content.decode():
        return twilio_call(redirect_target(response))
    return response


@pytest.mark.django_db
def test_a_voice_patients_checkin_is_a_call_with_machine_detection(outbox):
    _, call = start_call(outbox)
    placed = outbox[-1]
    assert placed["kind"] == "call"
    assert placed["url"].endswith(reverse("ivr-start", args=[call.pk]))
    assert call.status == "accepted"


@pytest.mark.django_db
def test_a_machine_hears_only_a_callback_number(twilio_call, outbox):
    patient, call = start_call(outbox)
    twiml = twilio_call(reverse("ivr-start", args=[call.pk]), AnsweredBy="machine_end_beep")
    text = twiml.content.decode()
    assert "Please call us back at 3 1 2 5 5 5 0 1 0 0" in text
    for word in ("pain", "numb", "surgery", "recovery", patient.first_name):
        assert word not in text
    assert "<Hangup />" in text
    call.refresh_from_db()
    assert call.call_outcome == "machine"


@pytest.mark.django_db
def test_a_failed_identity_check_hears_no_health_information(twilio_call, outbox):
    _, call = start_call(outbox)
    greeting = twilio_call(reverse("ivr-start", args=[call.pk]), AnsweredBy="human")
    assert "If you are Maria, press 1 or say yes." in greeting.content.decode()
    again = twilio_call(gather_action(greeting), Digits="9")
    assert "Sorry, we did not get that." in again.content.decode()
    final = twilio_call(gather_action(again), SpeechResult="who is this")
    text = final.content.decode()
    assert "could not confirm who we are speaking with" in text and "<Hangup />" in text
    assert "pain" not in text and "numb" not in text
    call.refresh_from_db()
    assert call.call_outcome == "identity_failed"


@pytest.mark.django_db
def test_a_whole_checkin_by_keypad_and_speech(twilio_call, outbox):
    patient, call = start_call(outbox)
    q = identified(twilio_call, call)
    assert "How are you feeling today?" in q.content.decode()
    q = answer(twilio_call, q, SpeechResult="pretty good just sore", Confidence="0.92")
    assert "from 0 for none to 10" in q.content.decode()
    q = answer(twilio_call, q, Digits="4#")
    assert "numbness or tingling" in q.content.decode()
    assert "Press 1 for yes, or 2 for no." in q.content.decode()
    for _ in range(4):
        q = answer(twilio_call, q, Digits="2")
    text = q.content.decode()
    assert "That is all for today" in text and "<Hangup />" in text
    checkin = CheckIn.objects.get(pk=call.checkin_id)
    assert checkin.status == CheckIn.Status.COMPLETED
    for message in InboundMessage.objects.all():
        process_inbound(message.pk)
    answers = {a.question: a for a in Answer.objects.filter(patient=patient)}
    assert answers["pain"].pain_score == 4
    assert {a.question for a in answers.values()} == {
        "general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"
    }  # fmt: skip
    assert all(a.findings == [] for a in answers.values())
    assert not Escalation.objects.exists()
    assert InboundMessage.objects.filter(channel="voice").count() == 6


@pytest.mark.django_db
def test_no_input_or_an_invalid_key_gets_one_reprompt_then_the_next_question(twilio_call, outbox):
    _, call = start_call(outbox)
    q = identified(twilio_call, call)
    q = answer(twilio_call, q, SpeechResult="fine", Confidence="0.9")  # general
    q = answer(twilio_call, q)  # pain: no input
    assert "Sorry, we did not get that." in q.content.decode()
    assert "from 0 for none to 10" in q.content.decode()
    q = answer(twilio_call, q, Digits="42#")  # not 0-10
    assert "numbness or tingling" in q.content.decode()
    q = answer(twilio_call, q, Digits="7")  # not 1 or 2
    assert "Sorry, we did not get that." in q.content.decode()
    assert "numbness or tingling" in q.content.decode()


@pytest.mark.django_db
def test_a_red_flag_said_mid_call_is_told_to_the_patient_at_once(twilio_call, outbox):
    patient, call = start_call(outbox)
    q = identified(twilio_call, call)
    for params in ({"SpeechResult": "okay", "Confidence": "0.9"}, {"Digits": "3#"}):
        q = answer(twilio_call, q, **params)
    for _ in range(2):
        q = answer(twilio_call, q, Digits="2")
    assert "numb between your legs or around your bottom" in q.content.decode()
    response = twilio_call(
        gather_action(q), SpeechResult="i wet myself and didnt feel it", Confidence="0.88"
    )
    text = response.content.decode()
    assert "Call 9 1 1 or go to the nearest emergency room now" in text
    assert "911" not in text
    assert "<Hangup />" in text
    checkin = CheckIn.objects.get(pk=call.checkin_id)
    assert checkin.status == CheckIn.Status.ESCALATED
    process_inbound(InboundMessage.objects.get(question="bladder_bowel").pk)
    escalation = Escalation.objects.get(patient=patient)
    assert escalation.get_severity_display() == "emergency"
    assert "wet myself" in escalation.evidence["bladder"]


DAY = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Chicago
NIGHT = dt.datetime(2026, 3, 4, 4, 0, tzinfo=dt.UTC)  # Tuesday 22:00 in Chicago


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "lang", "spoken"),
    [
        (DAY, "en", "If no one calls within 2 hours, call 3 1 2 5 5 5 0 1 0 0. "
         "If it gets worse, call 9 1 1."),
        (DAY, "es", "Si nadie le llama en 2 horas, llame al 3 1 2 5 5 5 0 1 0 0. "
         "Si empeora, llame al 9 1 1."),
        (NIGHT, "en", "the doctor on call has been told and will try to call you. "
         "If no one calls within 1 hour, call 3 1 2 5 5 5 0 1 0 0."),
        (NIGHT, "es", "el médico de guardia fue avisado y va a intentar llamarle. "
         "Si nadie le llama en 1 hora, llame al 3 1 2 5 5 5 0 1 0 0."),
    ],
)  # fmt: skip
def test_an_urgent_keypad_answer_speaks_the_urgent_advice_at_once(
    twilio_call, outbox, when, lang, spoken
):
    team = make_team(on_call=make_user(phone="+13125550901"))
    with time_machine.travel(when, tick=False):
        _, call = start_call(outbox, language=lang, care_team=team)
        q = identified(twilio_call, call)
        q = answer(twilio_call, q, SpeechResult="okay", Confidence="0.9")
        q = answer(twilio_call, q, Digits="3#")
        # Numbness: 1 is yes, urgent.
        response = twilio_call(gather_action(q), Digits="1")
    text = response.content.decode()
    voice = {"en": 'voice="Polly.Joanna"', "es": 'voice="Polly.Lupe"'}[lang]
    said = re.findall(rf"<Say [^>]*{voice}>([^<]+)</Say>", text)
    assert said and spoken in said[0], text
    assert "911" not in text
    # The call goes on to the next question.
    assert "<Redirect>" in text and "<Hangup" not in text
    assert CheckIn.objects.get(pk=call.checkin_id).status == CheckIn.Status.AWAITING


@pytest.mark.django_db
def test_a_no_on_a_red_flag_question_speaks_no_advice(twilio_call, outbox):
    _, call = start_call(outbox)
    q = identified(twilio_call, call)
    q = answer(twilio_call, q, SpeechResult="okay", Confidence="0.9")
    q = answer(twilio_call, q, Digits="3#")
    response = twilio_call(gather_action(q), Digits="2")
    assert "<Say" not in response.content.decode()


@pytest.mark.django_db
def test_a_yes_to_the_saddle_and_bladder_question_is_an_emergency_by_voice(twilio_call, outbox):
    _, call = start_call(outbox)
    q = identified(twilio_call, call)
    q = answer(twilio_call, q, SpeechResult="okay", Confidence="0.9")
    q = answer(twilio_call, q, Digits="3#")
    for _ in range(2):
        q = answer(twilio_call, q, Digits="2")
    assert "numb between your legs or around your bottom? Or can you not pee" in q.content.decode()
    text = twilio_call(gather_action(q), Digits="1").content.decode()
    assert "Call 9 1 1 or go to the nearest emergency room now" in text
    assert "<Hangup />" in text


@pytest.mark.django_db
def test_the_call_speaks_spanish_to_a_spanish_speaker(twilio_call, outbox):
    _, call = start_call(outbox, language="es", first_name="Rosa")
    greeting = twilio_call(reverse("ivr-start", args=[call.pk]), AnsweredBy="human")
    text = greeting.content.decode()
    assert "Si usted es Rosa, marque 1 o diga sí." in text
    assert 'language="es-US"' in text and "Polly.Lupe" in text
    response = twilio_call(gather_action(greeting), SpeechResult="Sí.")
    q = twilio_call(redirect_target(response))
    assert "¿Cómo se siente hoy?" in q.content.decode()
    q = answer(twilio_call, q, SpeechResult="bien gracias", Confidence="0.9")
    q = answer(twilio_call, q, SpeechResult="ocho", Confidence="0.9")
    message = InboundMessage.objects.get(question="pain")
    assert message.assessment["pain_score"] == 8
    assert "severe_pain" in message.assessment["findings"]


@pytest.mark.django_db
def test_unclear_speech_goes_to_a_nurse(twilio_call, outbox, client):
    from followup.dashboard import messages_needing_review

    patient, call = start_call(outbox)
    q = identified(twilio_call, call)
    q = answer(twilio_call, q, SpeechResult="my leg is numb", Confidence="0.31")
    message = InboundMessage.objects.get(question="general")
    assert message.assessment["needs_review"] is True
    process_inbound(message.pk)
    assert Escalation.objects.get(patient=patient).needs_review
    answer(twilio_call, q, SpeechResult="banana phone", Confidence="0.2")
    unclear = InboundMessage.objects.get(question="pain")
    process_inbound(unclear.pk)
    assert unclear in messages_needing_review(timezone.now())


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_an_unanswered_call_leads_to_the_non_responder_path(twilio_post, outbox, status):
    _, call = start_call(outbox)
    call.refresh_from_db()
    response = twilio_post(
        reverse("ivr-status"), {"CallSid": call.twilio_sid, "CallStatus": status}
    )
    assert response.status_code == 204
    call.refresh_from_db()
    assert call.call_outcome == status
    checkin = CheckIn.objects.get(pk=call.checkin_id)
    assert checkin.status == CheckIn.Status.AWAITING
    assert checkin.prompted_at is not None


@pytest.mark.django_db
def test_ivr_webhooks_check_the_signature(client, outbox):
    _, call = start_call(outbox)
    response = client.post(reverse("ivr-start", args=[call.pk]), {"AnsweredBy": "human"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_retried_answer_webhook_does_not_skip_a_question(twilio_call, outbox):
    _, call = start_call(outbox)
    q = identified(twilio_call, call)
    action = gather_action(q)
    twilio_call(action, SpeechResult="ok", Confidence="0.9")
    twilio_call(action, SpeechResult="ok", Confidence="0.9")  # Twilio's retry
    assert CheckIn.objects.get(pk=call.checkin_id).question_index == 1
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("digits", ["\u00b2", "99999999999", "9" * 5000, "\x00", "1\x00", "-1"])
def test_a_key_no_phone_has_is_an_invalid_answer_not_a_server_error(twilio_call, outbox, digits):
    _, call = start_call(outbox)
    general = identified(twilio_call, call)
    pain = answer(twilio_call, general, SpeechResult="doing ok")
    assert "How bad is your pain" in pain.content.decode()
    response = twilio_call(gather_action(pain), Digits=digits)
    assert response.status_code == 200
    # One re-prompt, as for any invalid key.
    assert "retry=1" in redirect_target(response)
    assert InboundMessage.objects.get().body == "doing ok"


@pytest.mark.django_db
@pytest.mark.parametrize("confidence", ["nan", "1e999", "-3", "\x00"])
def test_a_confidence_twilio_never_sends_counts_as_unknown(twilio_call, outbox, confidence):
    _, call = start_call(outbox)
    pain = identified(twilio_call, call)
    response = twilio_call(gather_action(pain), SpeechResult="four", Confidence=confidence)
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.speech_confidence is None
    assert stored.assessment["pain_score"] == 4


@pytest.mark.django_db
def test_an_overlong_caller_number_and_nul_in_speech_are_stored(twilio_call, outbox):
    _, call = start_call(outbox)
    pain = identified(twilio_call, call)
    caller = "+1" + "5" * 300
    response = twilio_call(gather_action(pain), SpeechResult="six\x00", From=caller)
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.to_number == caller
    assert stored.body == "six\ufffd"
    assert stored.assessment["pain_score"] == 6


@pytest.mark.django_db
@pytest.mark.parametrize("call_sid", ["CA1", "CA" + "z" * 32, "SM" + "7" * 32])
def test_a_call_sid_not_in_twilios_format_gets_400(twilio_post, outbox, call_sid):
    _, call = start_call(outbox)
    for path in (reverse("ivr-start", args=[call.pk]), reverse("ivr-status")):
        response = twilio_post(path, {"CallSid": call_sid, "CallStatus": "completed"})
        assert response.status_code == 400
        assert b"CallSid" in response.content


@pytest.mark.django_db
def test_an_emergency_answer_never_reopens_a_checkin_cancelled_during_the_call(twilio_call, outbox):
    _, call = start_call(outbox)
    general = identified(twilio_call, call)
    # The patient is withdrawn while on the phone: their open check-ins are cancelled.
    CheckIn.objects.filter(pk=call.checkin_id).update(status=CheckIn.Status.CANCELLED)
    text = answer(twilio_call, general, SpeechResult="I cant pee and my groin is numb").content
    assert "911" in text.decode().replace("9 1 1", "911")
    assert CheckIn.objects.get(pk=call.checkin_id).status == CheckIn.Status.CANCELLED
