"""Escalation cards rendered once and kept while nothing on them changes: rendering the cards
was half of a changed refresh, and most cards are the same from one refresh to the next."""

import datetime as dt
import functools
import hashlib
import operator
import secrets
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import caches
from django.db import models
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from followup.models import Escalation, User

# Bumped when templates/escalations/_card.html changes, so no card of an older layout is kept.
LAYOUT = "2"
# A card is kept without its forms' CSRF token: each response masks the token afresh (BREACH),
# so the token goes in when the card is sent. Random per process, so no patient's words can
# spell it, and part of the key, so a shared cache never hands one process's cards to another.
PLACEHOLDER = secrets.token_hex(16)
CACHE = "dashboard_cards"


@functools.cache
def _columns(model: type[models.Model]) -> Callable[[models.Model], tuple[object, ...]]:
    # One getter for all of a model's columns: a key reads about 150 rows' columns a refresh.
    return operator.attrgetter(*(field.attname for field in model._meta.concrete_fields))


def _fields(row: models.Model | None) -> tuple[object, ...] | None:
    if row is None:
        return None
    return _columns(type(row))(row)


def _key(escalation: Escalation, user: User, rights: Sequence[str], postop_day: int | None) -> str:
    """Everything the card shows or decides on: every column of each row it reads (loaded
    anyway, so reading them costs no query), the post-op day and minutes since acknowledged
    (time passing changes those), and who looks (her rights and her own assignment)."""
    events = [
        (_fields(event), _fields(event.actor), _fields(event.message))
        for event in escalation.history  # type: ignore[attr-defined]
    ]
    material = (
        LAYOUT,
        PLACEHOLDER,
        user.pk,
        tuple(rights),
        _fields(escalation),
        escalation.page_count,  # type: ignore[attr-defined]
        escalation.surgery_on,  # type: ignore[attr-defined]
        escalation.described,  # type: ignore[attr-defined]
        getattr(escalation, "acknowledged_minutes", None),
        _fields(escalation.patient),
        _fields(escalation.patient.care_team),
        postop_day,
        _fields(escalation.acknowledged_by),
        _fields(escalation.assigned_to),
        events,
    )
    return "card:" + hashlib.sha256(repr(material).encode()).hexdigest()


def attach(
    escalations: Iterable[Escalation],
    csrf_token: str,
    user: User,
    rights: dict[str, bool],
    outcomes: object,
    now: dt.datetime,
) -> None:
    """Give each escalation its card's HTML (`escalation.card`), rendering only those whose
    key is not kept, then put this response's CSRF token (masked afresh) in the forms."""
    cache = caches[CACHE]
    held = sorted(right for right, has in rights.items() if has)
    wanted = []
    for escalation in escalations:
        patient = escalation.patient
        postop_day = patient.days_since(escalation.surgery_on, now)  # type: ignore[attr-defined]
        wanted.append((escalation, postop_day, _key(escalation, user, held, postop_day)))
    kept: dict[str, str] = cache.get_many([key for _, _, key in wanted])
    template = get_template("escalations/_card.html")
    fresh: dict[str, str] = {}
    for escalation, postop_day, key in wanted:
        if key not in kept:
            fresh[key] = kept[key] = template.render(
                {
                    "e": escalation,
                    "user": user,
                    "rights": rights,
                    "outcomes": outcomes,
                    "postop_day": postop_day,
                    "csrf_token": PLACEHOLDER,
                }
            )
    cache.set_many(fresh)
    for escalation, _, key in wanted:
        # Built from the template's escaped output and a token of letters and digits.
        card: SafeString = mark_safe(kept[key].replace(PLACEHOLDER, csrf_token))  # noqa: S308
        escalation.card = card  # type: ignore[attr-defined]
