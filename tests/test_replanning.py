"""Re-planning: a change moves only unsent check-ins; pausing and withdrawing cancel them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followup.models import CheckIn, Enrollment
from followup.scheduling import replan_after_change, set_enrollment_status
from tests.factories import make_enrolled_patient

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def live(enrollment):
    return enrollment.checkins.exclude(status=CheckIn.Status.CANCELLED).order_by("due_at")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_new_time_zone_moves_unsent_checkins_and_leaves_sent_ones():
    patient, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 30)})
    sent = live(enrollment).first()
    CheckIn.objects.filter(pk=sent.pk).update(status=CheckIn.Status.AWAITING, sent_at=NOW)
    patient.time_zone = "America/New_York"
    patient.save()
    replan_after_change([enrollment])
    sent.refresh_from_db()
    assert sent.status == CheckIn.Status.AWAITING  # untouched
    upcoming = live(enrollment).exclude(pk=sent.pk)
    assert all(c.due_at.astimezone(patient.tz).time() == dt.time(10, 0) for c in upcoming)
    assert upcoming.first().due_at == dt.datetime(2026, 6, 2, 14, 0, tzinfo=dt.UTC)  # EDT
    # No post-op day gets two check-ins.
    days = [c.step.postop_day for c in live(enrollment)]
    assert len(days) == len(set(days))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_new_surgery_date_moves_the_plan():
    _, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 30)})
    surgery = enrollment.surgery
    surgery.date = dt.date(2026, 5, 31)
    surgery.save()
    replan_after_change([enrollment])
    first = live(enrollment).first()
    assert (first.step.postop_day, first.due_at.date()) == (1, dt.date(2026, 6, 1))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_pausing_cancels_pending_checkins_and_resuming_plans_them_again():
    _, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 30)})
    count = live(enrollment).count()
    set_enrollment_status(enrollment, Enrollment.Status.PAUSED)
    assert not live(enrollment).exists()
    set_enrollment_status(enrollment, Enrollment.Status.ACTIVE)
    assert live(enrollment).count() == count


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_withdrawing_in_the_admin_cancels_pending_checkins(admin_client):
    _, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 30)})
    response = admin_client.post(
        reverse("admin:followup_enrollment_change", args=[enrollment.pk]),
        {
            "patient": enrollment.patient_id, "surgery": enrollment.surgery_id,
            "protocol": enrollment.protocol_id, "status": "withdrawn",
            "enrolled_at_0": "2026-05-30", "enrolled_at_1": "10:00",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert not live(enrollment).filter(status=CheckIn.Status.PENDING).exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_enrollment_added_in_the_admin_is_planned_and_welcomed(admin_client):
    from followup.models import OutboundMessage, Protocol
    from tests.factories import make_patient, make_surgery

    patient = make_patient()
    surgery = make_surgery(patient, date=dt.date(2026, 5, 30))
    response = admin_client.post(
        reverse("admin:followup_enrollment_add"),
        {
            "patient": patient.pk, "surgery": surgery.pk,
            "protocol": Protocol.objects.get(is_default=True).pk, "status": "active",
            "enrolled_at_0": "2026-06-01", "enrolled_at_1": "12:00",
        },
    )  # fmt: skip
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(patient=patient)
    assert live(enrollment).count() == 14  # days 2-7, 9, 11, 14, 21, 28, 42, 60, 90
    assert OutboundMessage.objects.filter(patient=patient, kind="welcome").exists()
