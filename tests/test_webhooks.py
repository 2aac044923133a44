"""Twilio webhooks: signatures, exactly-once storage, sender matching, immediate safety replies."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from followup.conversation import claim_next, process_inbound
from followup.models import (
    CheckIn,
    Escalation,
    InboundMessage,
    OutboundMessage,
)
from tests.conftest import sign
from tests.factories import make_enrolled_patient, make_patient, make_user

SMS = "/twilio/sms/"
STATUS = "/twilio/status/"
_sid_counter = iter(range(10**6))


def inbound(sender: str, body: str, **extra: str) -> dict[str, str]:
    params = {
        "MessageSid": f"SM{next(_sid_counter):032x}",
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    params.update(extra)
    return params


def awaiting(patient, question="numbness"):
    """Put the patient's first check-in in the state of having just asked `question`."""
    checkin = CheckIn.objects.filter(enrollment__patient=patient).order_by("due_at").first()
    checkin.status = CheckIn.Status.AWAITING
    checkin.sent_at = timezone.now()
    checkin.question_index = checkin.questions.index(question)
    checkin.save()
    return checkin


@pytest.mark.django_db
def test_missing_signature_is_refused(client):
    response = client.post(SMS, inbound("+17735550001", "hi"))
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_signature_over_other_params_is_refused(client):
    params = inbound("+17735550001", "no numbness")
    signature = sign("http://testserver/twilio/sms/", params)
    params["Body"] = "tampered"
    response = client.post(SMS, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


@pytest.mark.django_db
def test_signature_with_another_token_is_refused(client):
    params = inbound("+17735550001", "hi")
    signature = sign("http://testserver/twilio/sms/", params, token="someone-elses-token")
    assert client.post(SMS, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 403


@pytest.mark.django_db
def test_signature_is_checked_against_the_public_url_behind_a_proxy(client, settings):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://followup.example.org"
    params = inbound("+17735550001", "hello")
    good = sign("https://followup.example.org/twilio/sms/", params)
    assert client.post(SMS, params, HTTP_X_TWILIO_SIGNATURE=good).status_code == 200
    internal = sign("http://testserver/twilio/sms/", inbound("+17735550001", "x"))
    assert client.post(SMS, params, HTTP_X_TWILIO_SIGNATURE=internal).status_code == 403


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get(SMS).status_code == 405


@pytest.mark.django_db
def test_a_request_without_a_message_sid_gets_400_with_the_reason(twilio_post):
    params = inbound("+17735550001", "hi")
    del params["MessageSid"]
    response = twilio_post(SMS, params)
    assert response.status_code == 400
    assert b"MessageSid is required" in response.content
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("MessageSid", "SM1"),
        ("MessageSid", "SM" + "g" * 32),
        ("MessageSid", "SM" + "9" * 80),
        ("AccountSid", "AC\x00" + "0" * 31),
        ("AccountSid", "not-an-account"),
    ],
)
def test_an_identifier_not_in_twilios_format_gets_400_with_the_reason(twilio_post, field, value):
    params = inbound("+17735550001", "hi")
    params[field] = value
    response = twilio_post(SMS, params)
    assert response.status_code == 400
    assert f"{field} ".encode() in response.content
    assert b"format" in response.content
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_message_without_a_sender_is_stored_for_staff_not_refused(twilio_post):
    make_patient(caregiver_phone="")  # a blank From must not match a blank caregiver number
    params = inbound("+17735550001", "my legs went numb")
    del params["From"]
    assert twilio_post(SMS, params).status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.sender, stored.patient, stored.body) == ("unknown", None, "my legs went numb")


@pytest.mark.django_db
def test_a_malformed_media_count_still_stores_the_photos(twilio_post):
    url = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
    response = twilio_post(SMS, inbound("+17735550001", "hi", NumMedia="lots", MediaUrl0=url))
    assert response.status_code == 200
    assert InboundMessage.objects.get().media_urls == [url]


@pytest.mark.django_db
def test_a_retried_message_sid_is_stored_once(twilio_post):
    patient, _ = make_enrolled_patient()
    params = inbound(patient.phone, "my left foot has gone numb")
    first = twilio_post(SMS, params)
    second = twilio_post(SMS, params)
    assert first.status_code == second.status_code == 200
    assert InboundMessage.objects.filter(message_sid=params["MessageSid"]).count() == 1
    # The retry means Twilio never got the first answer: it gets the same safety reply again.
    assert first.content == second.content
    assert OutboundMessage.objects.filter(kind=OutboundMessage.Kind.SAFETY).count() == 1


@pytest.mark.django_db
def test_a_red_flag_gets_an_immediate_safety_reply_in_twiml(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "numbness")
    response = twilio_post(SMS, inbound(patient.phone, "my left foot has gone numb"))
    assert response["Content-Type"] == "text/xml"
    assert b"<Response><Message>" in response.content
    assert b"911" in response.content
    stored = InboundMessage.objects.get()
    assert stored.patient == patient
    assert stored.question == "numbness"
    assert "numbness" in stored.assessment["findings"]


@pytest.mark.django_db
def test_the_safety_reply_is_in_spanish_for_a_spanish_speaker(twilio_post):
    patient, _ = make_enrolled_patient(language="es")
    awaiting(patient, "bladder_bowel")
    response = twilio_post(SMS, inbound(patient.phone, "no puedo orinar desde anoche"))
    assert "Llame al 911" in response.content.decode()


@pytest.mark.django_db
def test_a_plain_no_gets_an_empty_twiml_answer(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "numbness")
    response = twilio_post(SMS, inbound(patient.phone, "no"))
    assert response.status_code == 200
    assert b"<Message>" not in response.content


@pytest.mark.django_db
def test_a_message_from_an_unknown_number_is_stored_for_staff(twilio_post):
    response = twilio_post(SMS, inbound("+17735559999", "who is this"))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.sender == InboundMessage.Sender.UNKNOWN
    assert stored.patient is None


@pytest.mark.django_db
def test_a_number_shared_by_two_patients_is_never_guessed(twilio_post):
    shared = "+17735550777"
    make_patient(phone=shared)
    make_patient(phone=shared)
    twilio_post(SMS, inbound(shared, "my legs are numb"))
    stored = InboundMessage.objects.get()
    assert stored.sender == InboundMessage.Sender.AMBIGUOUS
    assert stored.patient is None


@pytest.mark.django_db
def test_a_caregivers_message_is_matched_to_the_patient(twilio_post):
    patient, _ = make_enrolled_patient(caregiver_phone="+17735550555")
    twilio_post(SMS, inbound("+17735550555", "this is his wife, he cant feel his feet"))
    stored = InboundMessage.objects.get()
    assert (stored.sender, stored.patient) == (InboundMessage.Sender.CAREGIVER, patient)


@pytest.mark.django_db
def test_the_registered_caregivers_report_about_her_is_the_patients(twilio_post):
    # No "this is his wife": the number alone says a caregiver wrote, so "my mom" is the patient.
    patient, _ = make_enrolled_patient(caregiver_phone="+17735550556")
    twilio_post(SMS, inbound("+17735550556", "my mom fell in the kitchen last night"))
    stored = InboundMessage.objects.get()
    assert (stored.sender, stored.patient) == (InboundMessage.Sender.CAREGIVER, patient)
    assert stored.assessment["findings"] == ["fall"]


@pytest.mark.django_db
def test_the_same_words_from_the_patient_are_about_someone_else(twilio_post):
    patient, _ = make_enrolled_patient()
    twilio_post(SMS, inbound(patient.phone, "my mom fell in the kitchen last night"))
    assert InboundMessage.objects.get().assessment["findings"] == []


@pytest.mark.django_db
def test_a_photo_only_mms_is_stored_with_its_media(twilio_post):
    patient, _ = make_enrolled_patient()
    url = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
    params = inbound(patient.phone, "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/jpeg")
    assert twilio_post(SMS, params).status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.body == ""
    assert stored.media_urls == [url]


@pytest.mark.django_db
def test_a_triage_crash_still_stores_the_message_for_review(twilio_post):
    patient, _ = make_enrolled_patient()
    with mock.patch("triage.evaluate", side_effect=RuntimeError("boom")):
        response = twilio_post(SMS, inbound(patient.phone, "my foot is numb"))
    assert response.status_code == 200
    assert InboundMessage.objects.get().assessment is None


@pytest.mark.django_db
def test_the_stored_row_is_the_work_item_with_no_task_queued(
    twilio_post, django_capture_on_commit_callbacks
):
    patient, _ = make_enrolled_patient()
    with (
        mock.patch("django_q.tasks.async_task") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        twilio_post(SMS, inbound(patient.phone, "numb toes"))
    message = InboundMessage.objects.get()
    queue.assert_not_called()
    assert message.processed_at is None
    assert claim_next() == message.pk


def status_params(sid: str, status: str, **extra: str) -> dict[str, str]:
    return {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32, **extra}


@pytest.mark.django_db
def test_status_callbacks_only_move_forward(twilio_post):
    message = OutboundMessage.objects.create(
        to="+17735550001", body="x", kind="other", twilio_sid="SM" + "e" * 32, status="accepted"
    )
    assert twilio_post(STATUS, status_params(message.twilio_sid, "delivered")).status_code == 204
    twilio_post(STATUS, status_params(message.twilio_sid, "sent"))  # late and out of order
    message.refresh_from_db()
    assert message.status == "delivered"


@pytest.mark.django_db
def test_a_failed_delivery_records_the_error_code(twilio_post):
    message = OutboundMessage.objects.create(
        to="+17735550001", body="x", kind="other", twilio_sid="SM" + "f" * 32, status="sent"
    )
    twilio_post(STATUS, status_params(message.twilio_sid, "undelivered", ErrorCode="30006"))
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("undelivered", 30006)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"MessageStatus": "delivered"}, {"MessageSid": "SM1", "MessageStatus": "delivered"}],
)
def test_a_status_callback_without_a_valid_message_sid_gets_400(twilio_post, params):
    response = twilio_post(STATUS, params)
    assert response.status_code == 400
    assert b"MessageSid" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["", "x", "receiving-on-mars", "\x00"])
def test_an_unknown_status_is_acknowledged_and_changes_nothing(twilio_post, status):
    message = OutboundMessage.objects.create(
        to="+17735550001", body="x", kind="other", twilio_sid="SM" + "a" * 32, status="sent"
    )
    response = twilio_post(STATUS, status_params(message.twilio_sid, status))
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == "sent"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["\u00b2", "99999999999", "9" * 5000, "-1", "30006\x00", "3e4"])
def test_an_error_code_twilio_never_sends_is_kept_for_staff_not_a_server_error(twilio_post, code):
    message = OutboundMessage.objects.create(
        to="+17735550001", body="x", kind="other", twilio_sid="SM" + "b" * 32, status="sent"
    )
    response = twilio_post(STATUS, status_params(message.twilio_sid, "failed", ErrorCode=code))
    assert response.status_code == 204
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("failed", None)
    assert message.error_message.startswith("Twilio reported error code")
    assert "\x00" not in message.error_message


@pytest.mark.django_db
def test_a_status_callback_for_an_unknown_message_is_acknowledged(twilio_post):
    assert twilio_post(STATUS, status_params("SM" + "0" * 32, "delivered")).status_code == 204


@pytest.mark.django_db
def test_a_late_reply_after_the_answer_window_is_stored_without_a_checkin(twilio_post):
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "numbness")
    CheckIn.objects.filter(pk=checkin.pk).update(sent_at=timezone.now() - dt.timedelta(days=2))
    twilio_post(SMS, inbound(patient.phone, "still fine"))
    stored = InboundMessage.objects.get()
    assert stored.checkin is None
    assert stored.question == "general"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["canceled", "partially_delivered", "read"])
def test_every_status_in_twilios_spec_is_accepted(twilio_post, status):
    message = OutboundMessage.objects.create(
        to="+17735550001", body="x", kind="other", twilio_sid="SM" + "c" * 32, status="sent"
    )
    assert twilio_post(STATUS, status_params(message.twilio_sid, status)).status_code == 204
    message.refresh_from_db()
    assert message.status == status


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["From", "To"])
def test_an_overlong_number_is_stored_whole(twilio_post, field):
    params = inbound("+17735550001", "my legs are numb")
    params[field] = "+1" + "9" * 5000
    assert twilio_post(SMS, params).status_code == 200
    stored = InboundMessage.objects.get()
    assert getattr(stored, {"From": "from_number", "To": "to_number"}[field]) == params[field]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["Body", "From", "To", "MessageSid_media"])
def test_a_nul_byte_in_any_field_is_stored_escaped_and_recoverable(twilio_post, field):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "numbness")
    params = inbound(patient.phone, "my left foot\x00 has gone numb")
    if field == "MessageSid_media":
        field, params["MediaUrl0"] = "MediaUrl0", "https://api.twilio.com/\x00/Media/ME1"
    elif field != "Body":
        params[field] = params[field] + "\x00"
    response = twilio_post(SMS, params)
    assert response.status_code == 200
    stored = InboundMessage.objects.get(message_sid=params["MessageSid"])
    assert json.loads(stored.originals)[field] == params[field]
    if field == "Body":
        assert stored.body == "my left foot\ufffd has gone numb"
        assert "numbness" in stored.assessment["findings"]
        assert b"911" in response.content
    if field == "MediaUrl0":
        assert stored.media_urls == ["https://api.twilio.com/\ufffd/Media/ME1"]


@pytest.mark.django_db
def test_a_message_without_nul_keeps_no_originals(twilio_post):
    twilio_post(SMS, inbound("+17735550001", "fine today"))
    assert InboundMessage.objects.get().originals == ""


@pytest.mark.django_db
def test_an_absurd_media_count_reads_at_most_ten_photos(twilio_post):
    urls = {
        f"MediaUrl{i}": f"https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME{i}"
        for i in range(12)
    }
    params = inbound("+17735550001", "", NumMedia="99999999999", **urls)
    assert twilio_post(SMS, params).status_code == 200
    assert InboundMessage.objects.get().media_urls == [urls[f"MediaUrl{i}"] for i in range(10)]


@pytest.mark.django_db
def test_a_body_longer_than_triage_reads_is_stored_whole_and_goes_to_a_nurse(twilio_post):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "general")
    body = "I am doing fine today, walking more. " * 3000  # over 100 KB
    response = twilio_post(SMS, inbound(patient.phone, body))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.body == body
    assert stored.assessment["truncated"] is True
    assert stored.assessment["needs_review"] is True
    nurse = Client()
    staff = make_user()
    # Staff see only their care teams' patients.
    patient.care_team.members.add(staff)
    nurse.force_login(staff)
    assert "Too long to triage whole: read all of it" in nurse.get("/").content.decode()
    process_inbound(stored.pk)
    escalation = Escalation.objects.get(patient=patient)
    assert escalation.needs_review
    page = nurse.get("/").content.decode()
    assert f"Too long to triage whole ({len(body)} characters)" in page


@pytest.mark.django_db
def test_a_request_too_large_to_read_gets_413_with_the_reason(twilio_post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = twilio_post(SMS, inbound("+17735550001", "x" * 20_000))
    assert response.status_code == 413
    assert response.content.startswith(b"Request too large")
    assert InboundMessage.objects.count() == 0
