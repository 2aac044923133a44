"""Patients who do not answer: a reminder, a no-response item, and unreachable after three."""

import datetime as dt

import pytest
from django.utils import timezone

from followup.models import CareItem, CheckIn, Enrollment, OutboundMessage, WorkerPass
from followup.nonresponders import chase
from tests.factories import make_enrolled_patient
from tests.test_webhooks import SMS, inbound

# Tuesday 2026-03-03, 10:00 in Chicago.
MORNING = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)


def asked(enrollment, index=0, at=MORNING):
    checkin = enrollment.checkins.order_by("due_at")[index]
    CheckIn.objects.filter(pk=checkin.pk).update(
        status=CheckIn.Status.AWAITING, sent_at=at, prompted_at=at, due_at=at
    )
    return checkin


@pytest.mark.django_db
def test_one_reminder_after_the_window_and_no_more(outbox, settings):
    patient, enrollment = make_enrolled_patient(accepts_calls=False)
    asked(enrollment)
    assert chase(MORNING + dt.timedelta(minutes=settings.REMINDER_AFTER_MINUTES - 1)) == 0
    assert chase(MORNING + dt.timedelta(minutes=settings.REMINDER_AFTER_MINUTES)) == 1
    assert outbox[-1]["body"].startswith(f"Reminder from {patient.care_team.name}:")
    assert "How are you feeling today?" in outbox[-1]["body"]
    assert chase(MORNING + dt.timedelta(hours=8)) == 0
    assert OutboundMessage.objects.filter(kind=OutboundMessage.Kind.REMINDER).count() == 1


@pytest.mark.django_db
def test_no_reminder_in_quiet_hours(outbox):
    _, enrollment = make_enrolled_patient()
    late = dt.datetime(2026, 3, 4, 1, 30, tzinfo=dt.UTC)  # 19:30 in Chicago
    asked(enrollment, at=late)
    assert chase(late + dt.timedelta(hours=4)) == 0  # 23:30: quiet hours
    assert outbox == []


@pytest.mark.django_db
def test_no_reply_by_the_end_of_the_day_is_a_no_response_item(outbox):
    patient, enrollment = make_enrolled_patient()
    checkin = asked(enrollment)
    chase(dt.datetime(2026, 3, 4, 2, 59, tzinfo=dt.UTC))  # 20:59
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.AWAITING
    chase(dt.datetime(2026, 3, 4, 3, 0, tzinfo=dt.UTC))  # 21:00, quiet hours start
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.MISSED
    item = CareItem.objects.get(patient=patient)
    assert (item.kind, item.urgent) == (CareItem.Kind.NO_RESPONSE, False)


@pytest.mark.django_db
def test_a_partly_answered_checkin_is_completed_not_missed(twilio_post):
    patient, enrollment = make_enrolled_patient()
    checkin = enrollment.checkins.order_by("due_at").first()
    CheckIn.objects.filter(pk=checkin.pk).update(
        status="awaiting", sent_at=timezone.now(), prompted_at=timezone.now()
    )
    twilio_post(SMS, inbound(patient.phone, "doing ok"))
    from followup.conversation import process_inbound
    from followup.models import InboundMessage

    process_inbound(InboundMessage.objects.get().pk)
    chase(timezone.now() + dt.timedelta(days=1))
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.COMPLETED
    assert not CareItem.objects.exists()


@pytest.mark.django_db
def test_three_missed_checkins_in_a_row_is_an_urgent_unreachable_item():
    patient, enrollment = make_enrolled_patient()
    for day in range(3):
        at = MORNING + dt.timedelta(days=day)
        asked(enrollment, index=day, at=at)
        chase(at + dt.timedelta(days=1))
        kinds = set(CareItem.objects.filter(patient=patient).values_list("kind", flat=True))
        assert (CareItem.Kind.UNREACHABLE in kinds) is (day == 2)
    item = CareItem.objects.get(kind=CareItem.Kind.UNREACHABLE)
    assert item.urgent


@pytest.mark.django_db
def test_a_missed_checkin_expires_when_it_cannot_go_out_in_time(settings, outbox):
    from followup.dispatch import dispatch_due

    patient, enrollment = make_enrolled_patient()
    first = enrollment.checkins.order_by("due_at").first()
    window = dt.timedelta(minutes=settings.CHECKIN_SEND_WINDOW_MINUTES + 1)
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - window)
    dispatch_due()
    first.refresh_from_db()
    assert first.status == CheckIn.Status.EXPIRED
    assert outbox == []
    assert CareItem.objects.get(patient=patient).kind == CareItem.Kind.EXPIRED


@pytest.mark.django_db
def test_the_last_checkin_ends_the_followup_with_a_closing_text(outbox):
    _, enrollment = make_enrolled_patient()
    last = enrollment.checkins.order_by("-due_at").first()
    enrollment.checkins.exclude(pk=last.pk).update(status=CheckIn.Status.COMPLETED)
    asked_at = last.due_at
    CheckIn.objects.filter(pk=last.pk).update(
        status="awaiting", sent_at=asked_at, prompted_at=asked_at
    )
    chase(asked_at + dt.timedelta(days=1))
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert "That was your last check-in text" in outbox[-1]["body"]


@pytest.mark.django_db
def test_still_no_reply_after_the_reminder_a_patient_who_accepts_calls_is_called(outbox, settings):
    _, enrollment = make_enrolled_patient(accepts_calls=True)
    asked(enrollment)
    window = dt.timedelta(minutes=settings.REMINDER_AFTER_MINUTES)
    chase(MORNING + window)
    assert [m["kind"] for m in outbox] == ["sms"]
    chase(MORNING + 2 * window)
    assert [m["kind"] for m in outbox] == ["sms", "call"]
    assert "/twilio/voice/checkin/" in outbox[-1]["url"]
    chase(MORNING + 2 * window + dt.timedelta(minutes=30))
    assert len(outbox) == 2  # one call, not one per pass


@pytest.mark.django_db
def test_a_checkin_whose_reminder_fails_is_stopped_and_shown_while_the_others_are_reminded(
    outbox, settings
):
    broken_patient, broken = make_enrolled_patient(accepts_calls=False)
    patient, enrollment = make_enrolled_patient(accepts_calls=False)
    poisoned = asked(broken, at=MORNING - dt.timedelta(minutes=1))
    asked(enrollment)
    # No question left to ask: writing the reminder raises.
    CheckIn.objects.filter(pk=poisoned.pk).update(questions=[])
    assert chase(MORNING + dt.timedelta(minutes=settings.REMINDER_AFTER_MINUTES)) == 1
    assert [m["to"] for m in outbox] == [patient.phone]
    poisoned.refresh_from_db()
    assert poisoned.status == CheckIn.Status.FAILED
    item = CareItem.objects.get(patient=broken_patient)
    assert item.kind == CareItem.Kind.CHECKIN_FAILED
    assert "the reminder failed (ValueError" in item.detail
    run = WorkerPass.objects.get(name="chase")
    assert run.items_failed == 1 and f"check-in {poisoned.pk}" in run.error
    # Stopped: later passes neither retry it nor close its day.
    chase(MORNING + dt.timedelta(days=1))
    assert WorkerPass.objects.get(name="chase").items_failed == 0
    assert CareItem.objects.filter(patient=broken_patient).count() == 1


@pytest.mark.django_db
def test_a_day_that_cannot_be_closed_is_shown_while_the_others_close(outbox, monkeypatch):
    from followup import checkins

    broken_patient, broken = make_enrolled_patient()
    _, enrollment = make_enrolled_patient()
    stuck, closes = asked(broken), asked(enrollment)
    real = checkins.closing_message

    def closing_message(checkin, thank=True):
        if checkin.pk == stuck.pk:
            raise RuntimeError("template missing")
        return real(checkin, thank)

    monkeypatch.setattr(checkins, "closing_message", closing_message)
    chase(MORNING + dt.timedelta(days=1))
    closes.refresh_from_db()
    assert closes.status == CheckIn.Status.MISSED
    stuck.refresh_from_db()
    assert stuck.status == CheckIn.Status.FAILED
    detail = CareItem.objects.get(patient=broken_patient).detail
    assert "closing the day failed (RuntimeError: template missing)" in detail
