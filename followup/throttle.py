"""A per-number send rate shared by every worker on every machine, counted in SMS segments.

The pace lives in PostgreSQL, the one store every worker already shares: one row per sending
number holds when its next segment may go. Reserving is a row lock held for one UPDATE, cheap at
the 1-100 segments a second a number allows. Because we never hand Twilio more than the number
can send, Twilio's own queue (which fails messages after 10 hours) never builds up.
"""

import datetime as dt
import itertools
import math
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from followup.models import SenderPace

# GSM-7: 160 characters in one segment, 153 when split. Anything else (accents like á, ¿, emoji)
# makes the whole message UCS-2: 70 characters, 67 when split.
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
SEGMENTS_PER_SECOND = {"long_code": 1.0, "toll_free": 3.0, "short_code": 100.0}


def segments(body: str) -> int:
    """How many SMS segments Twilio bills and paces for this body."""
    if all(c in GSM7 or c in GSM7_EXTENDED for c in body):
        units = len(body) + sum(c in GSM7_EXTENDED for c in body)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


# The fake gateway reaches no carrier, so it has no carrier's limit to respect.
FAKE_GATEWAY_RATE = 100.0


def rate() -> float:
    """Segments a second the sending number may carry."""
    if settings.TWILIO_SEGMENTS_PER_SECOND:
        return float(settings.TWILIO_SEGMENTS_PER_SECOND)
    if settings.TWILIO_GATEWAY == "fake":
        return FAKE_GATEWAY_RATE
    return SEGMENTS_PER_SECOND[settings.TWILIO_SENDER_TYPE]


def reserve(number: str, body: str, now: dt.datetime, max_wait: dt.timedelta) -> dt.datetime | None:
    """Book the next free slot for this message; None when it is further away than `max_wait`."""
    cost = dt.timedelta(seconds=segments(body) / rate())
    SenderPace.objects.get_or_create(number=number, defaults={"next_free_at": now})
    with transaction.atomic():
        pace = SenderPace.objects.select_for_update().get(number=number)
        start = max(pace.next_free_at, now)
        if start - now > max_wait:
            return None
        pace.next_free_at = start + cost
        pace.save(update_fields=["next_free_at"])
    return start


# One statement books a run of consecutive slots: it locks the number's row, counts the messages
# whose slot starts within the wait allowed, and moves the row past the last of them. Offsets are
# whole microseconds from the first slot's start, so both sides agree on every boundary.
_BOOK = """
WITH old AS (
    SELECT number, GREATEST(next_free_at, %(now)s) AS start
    FROM followup_senderpace WHERE number = %(number)s FOR UPDATE
), fit AS (
    SELECT number, start, (
        SELECT count(*) FROM unnest(%(starts)s::bigint[]) AS s(us)
        WHERE start + s.us * interval '1 microsecond' <= %(limit)s
    ) AS n
    FROM old
)
UPDATE followup_senderpace AS pace
SET next_free_at = CASE WHEN fit.n > 0
    THEN fit.start + (%(ends)s::bigint[])[fit.n] * interval '1 microsecond'
    ELSE pace.next_free_at END
FROM fit WHERE pace.number = fit.number
RETURNING fit.start, fit.n
"""


def reserve_many(
    number: str, bodies: list[str], now: dt.datetime, max_wait: dt.timedelta
) -> list[dt.datetime]:
    """Book consecutive slots for these messages in order, as many as start within `max_wait`.

    Returns the start of each booked slot: the first len(result) messages have one, the rest
    none. One statement instead of a locked read and a write per message.
    """
    if not bodies:
        return []
    per_segment = 1_000_000 / rate()
    offsets = list(
        itertools.accumulate((round(segments(b) * per_segment) for b in bodies), initial=0)
    )
    params: dict[str, Any] = {
        "number": number,
        "now": now,
        "limit": now + max_wait,
        "starts": offsets[:-1],
        "ends": offsets[1:],
    }
    with connection.cursor() as cursor:
        cursor.execute(_BOOK, params)
        row = cursor.fetchone()
        if row is None:
            # The number's first send: its row is made once, then booked like any other.
            SenderPace.objects.get_or_create(number=number, defaults={"next_free_at": now})
            cursor.execute(_BOOK, params)
            row = cursor.fetchone()
    start, count = row
    return [start + dt.timedelta(microseconds=offset) for offset in offsets[:count]]


def capacity(number: str, now: dt.datetime, max_wait: dt.timedelta) -> int:
    """About how many segments could still be booked within `max_wait` (a batch's size)."""
    free = SenderPace.objects.filter(number=number).values_list("next_free_at", flat=True).first()
    ahead = max(free or now, now) - now
    return max(0, math.floor((max_wait - ahead).total_seconds() * rate()) + 1)
