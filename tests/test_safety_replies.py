"""Safety replies: in the patient's language, in the team's wording, never promising too much."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from followup.models import SafetyWording
from tests.factories import make_enrolled_patient, make_team, make_user
from tests.test_webhooks import SMS, awaiting, inbound

DAY = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Chicago
NIGHT = dt.datetime(2026, 3, 4, 4, 0, tzinfo=dt.UTC)  # Tuesday 22:00 in Chicago


def reply_to(twilio_post, patient, body, question="general"):
    awaiting(patient, question)
    return twilio_post(SMS, inbound(patient.phone, body)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "body", "expected"),
    [
        ("en", "I wet myself and didnt feel it", "Call 911 or go to the nearest emergency"),
        (
            "es",
            "me orine encima y no lo senti",
            "Llame al 911 o vaya ahora a la sala de emergencias",
        ),
    ],
)
def test_an_emergency_tells_the_patient_to_call_911_now(twilio_post, lang, body, expected):
    patient, _ = make_enrolled_patient(language=lang)
    with time_machine.travel(DAY, tick=False):
        assert expected in reply_to(twilio_post, patient, body, "bladder_bowel")


@pytest.mark.django_db
def test_an_urgent_report_in_business_hours_says_what_to_do_if_no_one_calls(twilio_post):
    patient, _ = make_enrolled_patient()
    with time_machine.travel(DAY, tick=False):
        answer = reply_to(twilio_post, patient, "my left foot has gone numb")
    assert "Your care team has been told and a nurse will try to call you." in answer
    assert f"If no one calls within 2 hours, call {patient.care_team.clinic_phone}." in answer
    assert "If it gets worse, call 911." in answer


@pytest.mark.django_db
def test_after_hours_the_reply_names_the_on_call_only_when_there_is_one(twilio_post):
    covered = make_team(on_call=make_user(phone="+13125550901"))
    patient, _ = make_enrolled_patient(care_team=covered)
    uncovered, _ = make_enrolled_patient(care_team=make_team())
    with time_machine.travel(NIGHT, tick=False):
        with_on_call = reply_to(twilio_post, patient, "my left foot has gone numb")
        without = reply_to(twilio_post, uncovered, "my left foot has gone numb")
    assert "the doctor on call has been told and will try to call you" in with_on_call
    assert "If no one calls within 1 hour" in with_on_call
    assert "has been told" not in without
    assert f"Call {uncovered.care_team.clinic_phone} now to reach the doctor on call" in without
    assert uncovered.care_team.clinic_phone in without
    assert "911" in with_on_call and "911" in without


@pytest.mark.django_db
def test_a_care_team_can_use_its_own_wording(twilio_post):
    team = make_team(name="North Clinic")
    SafetyWording.objects.create(
        care_team=team, kind=SafetyWording.Kind.URGENT, language="en",
        text="{{ team }} got your message; a nurse calls back within the hour. 911 if worse.",
    )  # fmt: skip
    patient, _ = make_enrolled_patient(care_team=team)
    with time_machine.travel(DAY, tick=False):
        answer = reply_to(twilio_post, patient, "my left foot has gone numb")
    assert "North Clinic got your message; a nurse calls back within the hour." in answer


@pytest.mark.django_db
def test_a_team_wording_without_911_is_refused():
    wording = SafetyWording(
        care_team=make_team(), kind="safety_emergency", language="en", text="Rest and relax."
    )
    with pytest.raises(ValidationError, match="911"):
        wording.full_clean()


@pytest.mark.django_db
def test_a_safety_reply_carries_no_diagnosis_or_findings(twilio_post):
    patient, _ = make_enrolled_patient()
    with time_machine.travel(DAY, tick=False):
        answer = reply_to(twilio_post, patient, "I cant feel my groin and I wet myself")
    for word in ("cauda", "saddle", "bladder", "numb", patient.last_name, patient.mrn):
        assert word not in answer
