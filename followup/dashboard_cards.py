"""Escalation cards rendered once and kept while nothing on them changes: rendering the cards
was half of a changed refresh, and most cards are the same from one refresh to the next.

Whether a kept card is still right is decided without reading its rows: the list's statement
gives each card a fingerprint of every row the card shows, computed where the rows lie, and only
the cards whose fingerprint (or post-op day, or minutes since acknowledged) moved are read whole
and rendered. Reading 150 cards' rows, their events and messages as models was most of a
changed refresh at 1,000 open escalations.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import caches
from django.db import connection
from django.db.models import BigIntegerField, Expression, Value
from django.db.models.expressions import RawSQL
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from followup.models import (
    CareTeam,
    Escalation,
    EscalationEvent,
    InboundMessage,
    Patient,
    User,
    days_since,
)

# Bumped when templates/escalations/_card.html changes, so no card of an older layout is kept.
LAYOUT = "3"
# A card is kept without its forms' CSRF token: each response masks the token afresh (BREACH),
# so the token goes in when the card is sent. Random per process, so no patient's words can
# spell it, and part of the key, so a shared cache never hands one process's cards to another.
PLACEHOLDER = secrets.token_hex(16)
CACHE = "dashboard_cards"

# Every column of every row a card shows: the escalation (the outer statement's row), its
# patient, her care team, who acknowledged it and who has it, and each event with its message
# and actor. A whole-row hash changes with any column, so a column added later is covered too.
_FINGERPRINT = """(
    SELECT hash_record_extended(ROW({escalation}, p, t, ack, asg, (
        SELECT count(*) || ':' || sum(hash_record_extended(ROW(ev, m, a), 0))
        FROM {event} ev
        LEFT JOIN {message} m ON m.id = ev.message_id
        LEFT JOIN {user} a ON a.id = ev.actor_id
        WHERE ev.escalation_id = {escalation}.id
    )), 0)
    FROM {patient} p
    JOIN {team} t ON t.id = p.care_team_id
    LEFT JOIN {user} ack ON ack.id = {escalation}.acknowledged_by_id
    LEFT JOIN {user} asg ON asg.id = {escalation}.assigned_to_id
    WHERE p.id = {escalation}.patient_id
)"""


def fingerprint() -> Expression:
    """An annotation of an escalation list (its table not aliased) that changes whenever
    anything its card shows changes. On SQLite (the demo) there is none, and no card is kept."""
    if connection.vendor != "postgresql":
        return Value(None, output_field=BigIntegerField())
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (
            ("escalation", Escalation),
            ("event", EscalationEvent),
            ("message", InboundMessage),
            ("user", User),
            ("patient", Patient),
            ("team", CareTeam),
        )
    }
    # Only the models' own table names are written in; no value reaches this SQL.
    return RawSQL(_FINGERPRINT.format(**tables), [], output_field=BigIntegerField())  # noqa: S611


def minutes_since(at: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole minutes from `at` to now, never negative ("acknowledged 12 min ago")."""
    if at is None:
        return None
    return max(0, int((now - at).total_seconds() // 60))


def postop_day(escalation: Escalation, now: dt.datetime) -> int | None:
    """The post-op day today in the patient's time zone, from the row `card_rows` gives."""
    return days_since(
        escalation.surgery_on,  # type: ignore[attr-defined]
        now,
        escalation.patient_time_zone,  # type: ignore[attr-defined]
    )


def _key(escalation: Escalation, user: User, rights: Sequence[str], now: dt.datetime) -> str | None:
    """Everything the card shows or decides on: the fingerprint of its rows, the pages counted
    and the surgery dated beside them, what time passing changes (post-op day, minutes since
    acknowledged) and who looks (her rights and her own assignment)."""
    rows = escalation.fingerprint  # type: ignore[attr-defined]
    if rows is None:
        return None
    material = (
        LAYOUT,
        PLACEHOLDER,
        user.pk,
        tuple(rights),
        escalation.pk,
        rows,
        escalation.page_count,  # type: ignore[attr-defined]
        escalation.surgery_on,  # type: ignore[attr-defined]
        postop_day(escalation, now),
        minutes_since(escalation.acknowledged_at, now),
    )
    return "card:" + hashlib.sha256(repr(material).encode()).hexdigest()


def attach(
    escalations: Iterable[Escalation],
    load: Callable[[list[Escalation]], dict[int, Escalation]],
    csrf_token: str,
    user: User,
    rights: dict[str, bool],
    outcomes: object,
    now: dt.datetime,
) -> None:
    """Give each escalation of the list (`card_rows`) its card's HTML (`escalation.card`):
    kept, or rendered from its rows read whole by `load` (listed escalations to whole ones, by
    pk, each with its own fingerprint, page count, surgery date and patient's zone) when not;
    then put this response's CSRF token (masked afresh) in the forms."""
    cache = caches[CACHE]
    held = sorted(right for right, has in rights.items() if has)
    wanted = [(escalation, _key(escalation, user, held, now)) for escalation in escalations]
    kept: dict[str, str] = cache.get_many([key for _, key in wanted if key])
    missing = [escalation for escalation, key in wanted if key not in kept]
    whole = load(missing) if missing else {}
    template = get_template("escalations/_card.html")
    fresh: dict[str, str] = {}
    for escalation, key in wanted:
        if key in kept:
            html = kept[key]
        elif escalation.pk in whole:
            row = whole[escalation.pk]
            html = template.render(
                {
                    "e": row,
                    "user": user,
                    "rights": rights,
                    "outcomes": outcomes,
                    "postop_day": postop_day(row, now),
                    "csrf_token": PLACEHOLDER,
                }
            )
            # Kept under the key of the rows it was rendered from: the list's key when nothing
            # changed in between, else the newer rows' (the list's stays unkept, and a change
            # undone later is rendered again, not answered with this card).
            shown = _key(row, user, held, now)
            if shown:
                fresh[shown] = html
        else:
            # Resolved between the two reads: gone from the list. The version was taken before
            # either, so the next refresh sends the list again.
            html = ""
        # Built from the template's escaped output and a token of letters and digits.
        card: SafeString = mark_safe(html.replace(PLACEHOLDER, csrf_token))  # noqa: S308
        escalation.card = card  # type: ignore[attr-defined]
    cache.set_many(fresh)
