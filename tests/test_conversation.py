"""Processing a stored reply: the answer, the escalation, the next question."""

import pytest
from django.utils import timezone

import triage
from followup.conversation import process_inbound
from followup.models import (
    Answer,
    CheckIn,
    Escalation,
    EscalationEvent,
    InboundMessage,
    Severity,
)
from tests.factories import make_enrolled_patient
from tests.test_webhooks import SMS, awaiting, inbound


def reply(twilio_post, patient, body):
    twilio_post(SMS, inbound(patient.phone, body))
    message = InboundMessage.objects.order_by("-pk").first()
    process_inbound(message.pk)
    return message


@pytest.mark.django_db
def test_a_red_flag_opens_an_escalation_quoting_the_patients_words(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "general")
    reply(twilio_post, patient, "my left foot has gone numb")
    escalation = Escalation.objects.get(patient=patient)
    assert escalation.status == Escalation.Status.OPEN
    assert "numbness" in escalation.findings
    assert escalation.evidence["numbness"] in "my left foot has gone numb"
    assert "numb" in escalation.evidence["numbness"]
    assert escalation.events.get().kind == EscalationEvent.Kind.OPENED


@pytest.mark.django_db
def test_a_negated_reply_opens_no_escalation(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "numbness")
    reply(twilio_post, patient, "no numbness")
    assert not Escalation.objects.exists()
    assert Answer.objects.get().findings == []


@pytest.mark.django_db
def test_an_answer_moves_the_checkin_to_its_next_question(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "general")
    reply(twilio_post, patient, "doing ok, a bit sore")
    checkin.refresh_from_db()
    assert checkin.current_question == "pain"
    assert "0 (none) to 10" in outbox[-1]["body"]


@pytest.mark.django_db
def test_the_last_answer_completes_the_checkin_with_a_closing_text(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "wound_fever")
    reply(twilio_post, patient, "no")
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.COMPLETED
    assert "That is all for today" in outbox[-1]["body"]


@pytest.mark.django_db
def test_an_emergency_stops_the_questions(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "bladder_bowel")
    reply(twilio_post, patient, "I cant pee since last night")
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ESCALATED
    assert outbox == []
    assert Escalation.objects.get().get_severity_display() == "emergency"


@pytest.mark.django_db
def test_a_second_report_attaches_to_the_open_escalation_and_upgrades_it(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "general")
    reply(twilio_post, patient, "my left foot has gone numb")
    reply(twilio_post, patient, "and now I wet myself and didnt feel it")
    escalation = Escalation.objects.get(patient=patient)
    assert escalation.get_severity_display() == "emergency"
    assert {"numbness", "bladder"} <= set(escalation.findings)
    kinds = list(escalation.events.values_list("kind", flat=True))
    assert kinds == ["opened", "upgraded"]


@pytest.mark.django_db
def test_processing_twice_records_one_answer(twilio_post):
    patient, _ = make_enrolled_patient()
    message = reply(twilio_post, patient, "my toes are numb")
    process_inbound(message.pk)
    assert Answer.objects.count() == 1
    assert EscalationEvent.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_senders_message_is_processed_without_an_answer(twilio_post):
    twilio_post(SMS, inbound("+17735559999", "my foot is numb"))
    message = InboundMessage.objects.get()
    process_inbound(message.pk)
    message.refresh_from_db()
    assert message.processed_at is not None
    assert not Answer.objects.exists()
    assert not Escalation.objects.exists()


@pytest.mark.django_db
def test_a_new_finding_reopens_an_acknowledged_escalation(twilio_post):
    from followup import escalation as escalations
    from tests.factories import make_user

    patient, _ = make_enrolled_patient()
    reply(twilio_post, patient, "my left foot is numb")
    nurse = make_user()
    escalations.acknowledge(Escalation.objects.get().pk, nurse)
    reply(twilio_post, patient, "now my right leg keeps giving out")
    escalation = Escalation.objects.get()
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.acknowledged_by is None
    assert "reopened" in escalation.events.values_list("kind", flat=True)
    assert timezone.now() >= escalation.opened_at


@pytest.mark.django_db
def test_pain_up_three_points_since_the_last_checkin_escalates(twilio_post):
    patient, enrollment = make_enrolled_patient()
    first, second = enrollment.checkins.order_by("due_at")[:2]
    CheckIn.objects.filter(pk=first.pk).update(
        status="awaiting", sent_at=timezone.now(), question_index=1
    )
    reply(twilio_post, patient, "3")
    CheckIn.objects.filter(pk=first.pk).update(status="completed")
    CheckIn.objects.filter(pk=second.pk).update(
        status="awaiting", sent_at=timezone.now(), question_index=1
    )
    message = reply(twilio_post, patient, "6")
    assert message.assessment["pain_score"] == 6
    assert "severe_pain" in message.assessment["findings"]
    assert Escalation.objects.get(patient=patient).findings == ["severe_pain"]


@pytest.mark.django_db
def test_a_finding_absent_at_the_previous_checkin_is_marked_new(twilio_post):
    patient, enrollment = make_enrolled_patient()
    first, second = enrollment.checkins.order_by("due_at")[:2]
    CheckIn.objects.filter(pk=first.pk).update(status="awaiting", sent_at=timezone.now())
    reply(twilio_post, patient, "doing fine, no numbness")
    CheckIn.objects.filter(pk=first.pk).update(status="completed")
    CheckIn.objects.filter(pk=second.pk).update(status="awaiting", sent_at=timezone.now())
    message = reply(twilio_post, patient, "my left foot has gone numb")
    assert message.assessment["new"] == ["numbness"]


@pytest.mark.django_db
def test_a_clinics_fever_threshold_applies(twilio_post):
    from tests.factories import make_team

    strict = make_team(fever_threshold_f=100.4)
    patient, _ = make_enrolled_patient(care_team=strict)
    awaiting(patient, "wound_fever")
    message = reply(twilio_post, patient, "temp was 100.6 this morning")
    assert "fever" in message.assessment["findings"]
    default, _ = make_enrolled_patient()
    awaiting(default, "wound_fever")
    assert "fever" not in reply(twilio_post, default, "temp was 100.6").assessment["findings"]


@pytest.mark.django_db
def test_a_reply_that_cannot_be_understood_gets_one_clarifying_reask(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "pain")
    reply(twilio_post, patient, "what do you mean")
    assert outbox[-1]["body"].startswith("Sorry, we did not understand.")
    assert "from 0 (none) to 10" in outbox[-1]["body"]
    checkin.refresh_from_db()
    assert checkin.current_question == "pain"
    reply(twilio_post, patient, "dunno")
    checkin.refresh_from_db()
    assert checkin.current_question == "numbness"  # one re-ask only, then move on
    reply(twilio_post, patient, "nope")
    checkin.refresh_from_db()
    assert checkin.current_question == "weakness"


def numbered_checkin(patient):
    from followup.dispatch import dispatch_due
    from followup.models import ProtocolStep

    checkin = CheckIn.objects.filter(enrollment__patient=patient).order_by("due_at").first()
    ProtocolStep.objects.filter(pk=checkin.step_id).update(numbered=True)
    CheckIn.objects.filter(pk=checkin.pk).update(due_at=timezone.now())
    dispatch_due()
    checkin.refresh_from_db()
    return checkin


@pytest.mark.django_db
def test_a_numbered_step_asks_its_symptom_questions_at_once(outbox):
    patient, _ = make_enrolled_patient(language="es")
    checkin = numbered_checkin(patient)
    assert checkin.current_question == "checklist"
    text = outbox[-1]["body"]
    assert "1 piernas o pies dormidos u hormigueo (nuevo)" in text
    assert "4 fiebre, o la herida roja, hinchada, o le sale pus o agua" in text
    assert "0 nada de esto" in text and "DOLOR" in text


@pytest.mark.django_db
def test_a_numbered_reply_escalates_and_ends_the_checkin(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = numbered_checkin(patient)
    reply(twilio_post, patient, "1 3 pain 7")
    escalation = Escalation.objects.get(patient=patient)
    assert {"numbness", "bladder"} <= set(escalation.findings)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ESCALATED


@pytest.mark.django_db
def test_a_numbered_none_completes_the_checkin(twilio_post, outbox):
    patient, _ = make_enrolled_patient()
    checkin = numbered_checkin(patient)
    reply(twilio_post, patient, "0 pain 2")
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.COMPLETED
    assert Answer.objects.get().pain_score == 2
    assert not Escalation.objects.exists()


def test_the_stored_severity_is_triages_own_scale():
    assert {s.label: s.value for s in Severity} == {
        s.name.lower(): s.value for s in triage.Severity
    }
