"""A text is triaged against the patient's earlier answers, read by the webhook's one lookup.

The history rules (triage.history) compare a reply with the last check-in: a pain score up three
points or more is severe pain, and a finding is new when the last check-in did not have it. The
current check-in's own earlier answers are not "the last check-in".
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from followup.models import Answer, CheckIn, InboundMessage
from tests.factories import make_enrolled_patient
from tests.test_webhooks import SMS, awaiting, inbound

JUMP = "severe_pain.jump_since_last"


def answered(patient, checkin, ago: dt.timedelta, pain=None, findings=()) -> Answer:
    at = timezone.now() - ago
    message = InboundMessage.objects.create(
        message_sid=f"SM{uuid.uuid4().hex}",
        from_number=patient.phone,
        to_number="+15005550006",
        body=str(pain) if pain is not None else " ".join(findings),
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        checkin=checkin,
        received_at=at,
        processed_at=at,
    )
    return Answer.objects.create(
        patient=patient,
        checkin=checkin,
        message=message,
        question="pain" if pain is not None else "general",
        findings=list(findings),
        pain_score=pain,
        created_at=at,
    )


def earlier_checkin(patient, current: CheckIn) -> CheckIn:
    earlier = CheckIn.objects.filter(enrollment__patient=patient).exclude(pk=current.pk).first()
    CheckIn.objects.filter(pk=earlier.pk).update(status=CheckIn.Status.COMPLETED)
    return earlier


def stored_assessment(twilio_post, sender: str, body: str) -> dict:
    assert twilio_post(SMS, inbound(sender, body)).status_code == 200
    return InboundMessage.objects.latest("pk").assessment


@pytest.mark.django_db
def test_a_pain_score_three_points_above_the_last_check_in_is_severe_pain(twilio_post):
    patient, _ = make_enrolled_patient()
    current = awaiting(patient, "pain")
    answered(patient, earlier_checkin(patient, current), dt.timedelta(days=2), pain=2)
    assessment = stored_assessment(twilio_post, patient.phone, "6")
    assert assessment["pain_score"] == 6
    assert "severe_pain" in assessment["findings"]
    assert JUMP in assessment["rules"]["severe_pain"]


@pytest.mark.django_db
def test_the_current_check_ins_own_answers_are_not_the_last_check_in(twilio_post):
    patient, _ = make_enrolled_patient()
    current = awaiting(patient, "pain")
    answered(patient, earlier_checkin(patient, current), dt.timedelta(days=2), pain=2)
    # Said a minute ago on this same check-in: were it "the last answer", 6 would be no jump.
    answered(patient, current, dt.timedelta(minutes=1), pain=6)
    assessment = stored_assessment(twilio_post, patient.phone, "6")
    assert JUMP in assessment["rules"]["severe_pain"]


@pytest.mark.django_db
def test_a_finding_the_last_check_in_had_is_not_new(twilio_post):
    patient, _ = make_enrolled_patient()
    current = awaiting(patient, "numbness")
    answered(
        patient, earlier_checkin(patient, current), dt.timedelta(days=1), findings=["numbness"]
    )
    assessment = stored_assessment(twilio_post, patient.phone, "my left foot is still numb")
    assert "numbness" in assessment["findings"]
    assert "numbness" not in assessment.get("new", [])


@pytest.mark.django_db
def test_without_a_check_in_awaiting_every_earlier_answer_counts(twilio_post):
    patient, _ = make_enrolled_patient()
    current = awaiting(patient, "pain")
    answered(patient, current, dt.timedelta(hours=3), findings=["fever"])
    CheckIn.objects.filter(pk=current.pk).update(status=CheckIn.Status.COMPLETED)
    assessment = stored_assessment(twilio_post, patient.phone, "my leg went numb today")
    assert assessment["findings"] == ["numbness"]
    assert assessment["new"] == ["numbness"]


@pytest.mark.django_db
def test_with_no_earlier_answer_nothing_is_known_to_be_new(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "numbness")
    assessment = stored_assessment(twilio_post, patient.phone, "my leg went numb today")
    assert "numbness" in assessment["findings"]
    assert "new" not in assessment
