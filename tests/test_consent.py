"""Carrier keywords in English and Spanish, opt-out state, and numbers Twilio says are dead."""

import datetime as dt

import pytest
from django.utils import timezone

from followup import dispatch
from followup.consent import Keyword, classify
from followup.gateway import TransportError
from followup.models import CareItem, CheckIn, InboundMessage, OutboundMessage, Patient
from tests.factories import make_enrolled_patient, make_team
from tests.test_dispatch import FailingGateway, make_due
from tests.test_webhooks import SMS, STATUS, awaiting, inbound, status_params


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", (Keyword.STOP, True)),
        ("  sToP ", (Keyword.STOP, True)),
        ("unsubscribe", (Keyword.STOP, True)),
        ("PARAR", (Keyword.STOP, False)),
        ("Alto", (Keyword.STOP, False)),
        ("START", (Keyword.START, True)),
        ("reanudar", (Keyword.START, False)),
        ("HELP", (Keyword.HELP, False)),
        ("ayuda", (Keyword.HELP, False)),
        ("Stop please", None),
        ("stop texting me my legs are numb", None),
        ("yes", None),
        ("no", None),
    ],
)
def test_keywords_are_whole_messages_like_the_carriers_match_them(body, expected):
    assert classify(body) == expected


def test_yes_opts_back_in_only_after_a_stop():
    assert classify("YES", opted_out=True) == (Keyword.START, True)
    assert classify("si", opted_out=True) == (Keyword.START, False)
    assert classify("YES", opted_out=False) is None


def test_twilio_advanced_opt_out_type_is_trusted():
    assert classify("BASTA YA", opt_out_type="STOP") == (Keyword.STOP, True)


@pytest.mark.django_db
def test_stop_records_the_opt_out_and_asks_staff_to_call(twilio_post):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "pain")
    response = twilio_post(SMS, inbound(patient.phone, "STOP"))
    # Twilio confirms standard English keywords itself: no second confirmation.
    assert b"<Message>" not in response.content
    patient.refresh_from_db()
    assert patient.sms_opted_out_at is not None
    item = CareItem.objects.get(patient=patient)
    assert item.kind == CareItem.Kind.OPTED_OUT
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.CANCELLED
    assert InboundMessage.objects.get().keyword == "stop"


@pytest.mark.django_db
def test_a_spanish_stop_is_confirmed_in_spanish(twilio_post):
    patient, _ = make_enrolled_patient(language="es")
    response = twilio_post(SMS, inbound(patient.phone, "PARAR"))
    assert "Responda INICIAR" in response.content.decode()


@pytest.mark.django_db
def test_no_texts_after_stop_until_start(twilio_post, outbox):
    patient, enrollment = make_enrolled_patient(accepts_calls=False)
    twilio_post(SMS, inbound(patient.phone, "stop"))
    first, second = enrollment.checkins.order_by("due_at")[:2]
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    dispatch.dispatch_due()
    assert outbox == []
    twilio_post(SMS, inbound(patient.phone, "START"))
    patient.refresh_from_db()
    assert patient.sms_opted_out_at is None
    CheckIn.objects.filter(pk=second.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    dispatch.dispatch_due()
    assert [m["kind"] for m in outbox] == ["sms"]


@pytest.mark.django_db
def test_after_stop_a_patient_who_accepts_calls_is_checked_in_by_voice(twilio_post, outbox):
    patient, enrollment = make_enrolled_patient(accepts_calls=True)
    twilio_post(SMS, inbound(patient.phone, "PARAR"))
    first = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    dispatch.dispatch_due()
    assert [m["kind"] for m in outbox] == ["call"]


@pytest.mark.django_db
def test_help_is_answered_with_the_clinics_number(twilio_post):
    patient, _ = make_enrolled_patient()
    response = twilio_post(SMS, inbound(patient.phone, "HELP")).content.decode()
    assert patient.care_team.clinic_phone in response
    assert "911" in response


@pytest.mark.django_db
def test_a_red_flag_that_also_says_stop_is_still_triaged(twilio_post):
    patient, _ = make_enrolled_patient()
    response = twilio_post(
        SMS, inbound(patient.phone, "stop texting me, i wet myself and cant feel it")
    )
    assert "911" in response.content.decode()
    assert "bladder" in InboundMessage.objects.get().assessment["findings"]


@pytest.mark.django_db
def test_twilio_error_21610_means_opted_out():
    (checkin,) = make_due()
    dispatch.dispatch_due(
        gateway=FailingGateway(TransportError("unsub", permanent=True, code=21610))
    )
    patient = Patient.objects.get(pk=checkin.enrollment.patient_id)
    assert patient.sms_opted_out_at is not None
    assert CareItem.objects.get(patient=patient).kind == CareItem.Kind.OPTED_OUT


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["21211", "21614", "30005", "30006"])
def test_a_permanent_delivery_failure_stops_texts_and_offers_voice(twilio_post, code, outbox):
    patient, enrollment = make_enrolled_patient()
    message = OutboundMessage.objects.create(
        patient=patient, to=patient.phone, body="q", kind="question", twilio_sid="SM" + "9" * 32,
        status="sent",
    )  # fmt: skip
    twilio_post(STATUS, status_params(message.twilio_sid, "undelivered", ErrorCode=code))
    patient.refresh_from_db()
    assert patient.sms_failed_code == int(code)
    item = CareItem.objects.get(patient=patient)
    assert item.kind == CareItem.Kind.SMS_FAILED and "offer voice" in item.detail
    first = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    dispatch.dispatch_due()
    # No more texts; the check-in goes by voice instead, as offered.
    assert [m["kind"] for m in outbox] == ["call"]


@pytest.mark.django_db
def test_a_repeated_opt_out_keeps_one_open_item(twilio_post):
    patient, _ = make_enrolled_patient()
    twilio_post(SMS, inbound(patient.phone, "STOP"))
    twilio_post(SMS, inbound(patient.phone, "STOP"))
    assert CareItem.objects.filter(patient=patient, done_at=None).count() == 1


CARRIER = {
    "en": ("Msg & data rates may apply", "a few on each check-in day", "Reply STOP"),
    "es": ("cargos por mensajes y datos", "algunos en cada fecha de control", "PARAR"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "body"), [("en", "HELP"), ("es", "AYUDA"), ("en", "info")])
def test_help_names_the_program_and_says_what_carriers_require(twilio_post, lang, body):
    team = make_team(name="St. Luke's Orthopedic & Spine Center")
    patient, _ = make_enrolled_patient(language=lang, care_team=team)
    text = twilio_post(SMS, inbound(patient.phone, body)).content.decode()
    # TwiML escapes the apostrophe and the ampersand; the text itself carries them.
    reply = OutboundMessage.objects.get(patient=patient, kind="keyword").body
    assert reply.startswith(team.name) and team.clinic_phone in reply and "911" in reply
    assert all(part in reply for part in CARRIER[lang])
    assert "<Message>" in text and "Luke" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "stop", "start", "stop_says", "start_says"),
    [
        ("es", "PARAR", "INICIAR", "Ya no le enviaremos mensajes de", "Va a recibir otra vez"),
        ("es", "baja", "si", "Ya no le enviaremos mensajes de", "Va a recibir otra vez"),
    ],
)
def test_our_own_stop_and_start_confirmations_name_the_program(
    twilio_post, lang, stop, start, stop_says, start_says
):
    team = make_team(name="St. Luke's Orthopedic & Spine Center")
    patient, _ = make_enrolled_patient(language=lang, care_team=team)
    twilio_post(SMS, inbound(patient.phone, stop))
    twilio_post(SMS, inbound(patient.phone, start))
    stopped, started = OutboundMessage.objects.filter(patient=patient, kind="keyword").order_by(
        "pk"
    )
    assert stopped.body.startswith(stop_says) and team.name in stopped.body
    assert "INICIAR" in stopped.body and "911" in stopped.body
    assert team.name in started.body and "AYUDA" in started.body
    assert all(part in started.body for part in CARRIER[lang])


@pytest.mark.django_db
def test_start_sent_through_advanced_opt_out_still_gets_no_second_reply(twilio_post):
    patient, _ = make_enrolled_patient()
    response = twilio_post(SMS, inbound(patient.phone, "START", OptOutType="START"))
    assert b"<Message>" not in response.content
