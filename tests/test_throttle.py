"""Segments and the shared per-number pace."""

import datetime as dt

import pytest
from django.utils import timezone

from followup import throttle

T0 = dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),  # extended characters take two units each
        ("{" * 81, 2),
        ("¿Cómo se siente hoy?", 1),  # ó is not GSM-7: UCS-2
        ("ó" + "a" * 69, 1),
        ("ó" + "a" * 70, 2),
        ("ó" + "a" * 134, 3),
        ("Hola 😀", 1),  # an emoji is two UCS-2 units
    ],
)
def test_segments_follow_gsm7_and_ucs2_limits(body, count):
    assert throttle.segments(body) == count


@pytest.mark.parametrize(
    ("kind", "rate"), [("long_code", 1.0), ("toll_free", 3.0), ("short_code", 100.0)]
)
def test_the_rate_follows_the_kind_of_sending_number(settings, kind, rate):
    settings.TWILIO_SEGMENTS_PER_SECOND = 0
    settings.TWILIO_GATEWAY = "twilio"
    settings.TWILIO_SENDER_TYPE = kind
    assert throttle.rate() == rate


@pytest.mark.django_db
def test_reservations_space_messages_by_their_segments(settings):
    settings.TWILIO_SEGMENTS_PER_SECOND = 0
    settings.TWILIO_GATEWAY = "twilio"
    settings.TWILIO_SENDER_TYPE = "long_code"
    wait = dt.timedelta(seconds=10)
    spanish = "¿Ha notado algún cambio en el control de la orina o del intestino? Responda SÍ o NO."
    assert throttle.segments(spanish) == 2
    assert throttle.reserve("+15005550006", spanish, T0, wait) == T0
    assert throttle.reserve("+15005550006", "ok", T0, wait) == T0 + dt.timedelta(seconds=2)
    assert throttle.reserve("+15005550006", "ok", T0, wait) == T0 + dt.timedelta(seconds=3)
    # Another number has its own pace.
    assert throttle.reserve("+15005550007", "ok", T0, wait) == T0


@pytest.mark.django_db
def test_a_slot_too_far_away_is_not_booked(settings):
    settings.TWILIO_SEGMENTS_PER_SECOND = 1
    wait = dt.timedelta(seconds=2)
    now = timezone.now()
    booked = [throttle.reserve("+15005550006", "x", now, wait) for _ in range(5)]
    assert booked[:3] == [now, now + dt.timedelta(seconds=1), now + dt.timedelta(seconds=2)]
    assert booked[3:] == [None, None]
