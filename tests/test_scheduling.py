"""Planning check-ins in the patient's time zone, away from quiet hours."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from followup.models import CheckIn, Protocol
from followup.scheduling import in_quiet_hours, local_to_utc
from tests.factories import make_enrolled_patient

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def test_local_time_becomes_utc_in_the_patients_zone():
    assert local_to_utc(dt.date(2026, 7, 1), dt.time(10, 0), CHICAGO) == dt.datetime(
        2026, 7, 1, 15, 0, tzinfo=dt.UTC
    )


def test_a_time_skipped_by_daylight_saving_moves_to_the_end_of_the_gap():
    # 2026-03-08 02:30 does not exist in Chicago; 03:00 CDT is the next valid time.
    assert local_to_utc(dt.date(2026, 3, 8), dt.time(2, 30), CHICAGO) == dt.datetime(
        2026, 3, 8, 8, 0, tzinfo=dt.UTC
    )


def test_a_repeated_time_takes_the_first_occurrence():
    # 2026-11-01 01:30 happens twice in Chicago; the first is CDT (UTC-5).
    assert local_to_utc(dt.date(2026, 11, 1), dt.time(1, 30), CHICAGO) == dt.datetime(
        2026, 11, 1, 6, 30, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    ("local", "quiet"),
    [("22:00", True), ("07:59", True), ("08:00", False), ("20:59", False), ("21:00", True)],
)
def test_quiet_hours_wrap_past_midnight(local, quiet):
    assert in_quiet_hours(dt.time.fromisoformat(local), dt.time(21, 0), dt.time(8, 0)) is quiet


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_enrolling_plans_the_default_protocols_remaining_checkins():
    _, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 29)})
    days = [c.step.postop_day for c in enrollment.checkins.order_by("due_at")]
    # Surgery on May 29; it is 07:00 in Chicago on day 3, whose 10:00 check-in is still ahead.
    assert days == [3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90]
    first = enrollment.checkins.order_by("due_at").first()
    assert first.due_at == dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)
    assert first.questions == [
        "general", "pain", "numbness", "weakness", "bladder_bowel", "wound_fever"
    ]  # fmt: skip
    assert first.status == CheckIn.Status.PENDING


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_checkin_in_quiet_hours_moves_to_their_end():
    protocol = Protocol.objects.get(is_default=True)
    protocol.steps.update(send_time=dt.time(6, 30))
    _, enrollment = make_enrolled_patient(surgery={"date": dt.date(2026, 5, 31)})
    first = enrollment.checkins.order_by("due_at").first()
    # 06:30 is inside the default 21:00-08:00 quiet hours: it goes at 08:00 Chicago.
    assert first.due_at.astimezone(CHICAGO).time() == dt.time(8, 0)
    assert first.due_at.astimezone(CHICAGO).date() == dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_default_protocol_is_installed_with_its_schedule():
    protocol = Protocol.objects.get(is_default=True)
    assert [s.postop_day for s in protocol.steps.all()] == [
        1, 2, 3, 4, 5, 6, 7, 9, 11, 14, 21, 28, 42, 60, 90
    ]  # fmt: skip


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_enrolling_writes_a_welcome_text_in_the_patients_language():
    from followup.models import OutboundMessage

    patient, _ = make_enrolled_patient(
        welcomed=False, language="es", surgery={"date": dt.date(2026, 5, 29)}
    )
    welcome = OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME)
    assert "desde el 1 de junio" in welcome.body
    assert "Emergencia: llame al 911" in welcome.body
    assert "PARAR" in welcome.body and "AYUDA" in welcome.body
    assert "13 veces en 12 semanas" in welcome.body
    for word in ("cirugía", "columna", "fusión"):
        assert word not in welcome.body
