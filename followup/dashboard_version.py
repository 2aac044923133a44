"""What the dashboard would show, summed up in one statement, so an unchanged refresh answers
304 without rendering anything."""

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Max, QuerySet
from django.dispatch import receiver

from followup import access
from followup.models import EscalationEvent, User

# Bumped when the partial's markup changes, so a browser never keeps rows of an older layout.
LAYOUT = "3"
# Compiled statements kept per process, by user and cards worked on; emptied when full.
KEPT = 1000
# How far apart the two compilations that find the clock's parameters are.
PROBE = dt.timedelta(days=1)

# The columns of each list whose change changes what a row shows in place.
ESCALATION = (
    "pk",
    "status",
    "severity",
    "needs_review",
    "assigned_to_id",
    "acknowledged_by_id",
    "page_level",
    "next_page_at",
)
MESSAGE = ("pk", "processed_at", "processing_attempts", "patient_id")
SEND = ("pk", "status", "error_code", "status_updated_at")
CALL = ("pk", "kind", "urgent", "detail")
RESOLVED = ("pk", "resolved_by_id")

Lists = Callable[[dt.datetime], list[QuerySet[Any]]]
_statements: dict[Hashable, tuple[str, list[Any], frozenset[int], dt.datetime]] = {}


@receiver(setting_changed)
def _forget_statements(**kwargs: Any) -> None:
    # A setting may shape a statement (how long before an untriaged reply is overdue).
    _statements.clear()


def state(user: User, now: dt.datetime, key: Hashable, lists: Lists) -> list[object]:
    """Everything a rendering depends on, from the same scoped selectors the rendering uses.

    `lists(now)` gives each list as a few columns of its rows (the membership of each list, and
    the fields that change a row in place: status, assignment, paging, processing); `key` says
    which compiled statement of the process it may reuse (same user, same shape). What changes
    with time alone ("12 min ago", the post-op day, who is on call, a patient's or a team's
    details edited) is covered by the minute: at worst one full rendering a minute.
    """
    return [
        user.pk,
        sorted(right for right, held in access.rights_of(user).items() if held),
        # The minute, not the second: "12 min ago" and shift changes show within a minute.
        now.replace(second=0, microsecond=0).isoformat(),
        fingerprints(key, now, lists),
    ]


def fingerprints(key: Hashable, now: dt.datetime, lists: Lists) -> list[object]:
    """A fingerprint of each list's rows: on PostgreSQL all in one statement that returns a few
    bytes (1,000 open escalations are summed up where they lie); elsewhere (the demo's SQLite)
    the rows themselves."""
    if connection.vendor != "postgresql":
        newest = EscalationEvent.objects.aggregate(last=Max("pk"))["last"]
        return [*(sorted(rows, key=repr) for rows in lists(now)), newest]
    sql, params = statement(key, now, lists)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchone())


def statement(key: Hashable, now: dt.datetime, lists: Lists) -> tuple[str, list[Any]]:
    """The fingerprint statement for `now`. Building five scoped querysets and compiling them
    costs more than running the statement, so each user's is compiled once per process and
    reused with its clock's parameters moved to `now`."""
    kept = _statements.get(key)
    if kept is not None:
        sql, params, moving, compiled_at = kept
        shift = now - compiled_at
        return sql, [p + shift if i in moving else p for i, p in enumerate(params)]
    sql, params = compile_lists(lists(now))
    # Compiled again a day earlier: the parameters that moved by exactly that day are the
    # clock's ("received before now - 30 min"). Anything else that differs (a statement that
    # depends on the time in another way) is never kept, only compiled afresh each time.
    earlier_sql, earlier = compile_lists(lists(now - PROBE))
    # Compared by repr: psycopg's Jsonb wrappers of equal values are not equal.
    moving = frozenset(
        i for i, (p, q) in enumerate(zip(params, earlier, strict=True)) if repr(p) != repr(q)
    )
    if earlier_sql == sql and all(
        isinstance(params[i], dt.datetime) and params[i] - earlier[i] == PROBE for i in moving
    ):
        if len(_statements) >= KEPT:
            _statements.clear()
        _statements[key] = (sql, params, moving, now)
    return sql, params


def compile_lists(lists: list[QuerySet[Any]]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for rows in lists:
        try:
            # Unordered: a sum needs no sort.
            sql, row_params = rows.order_by().query.sql_with_params()
        except EmptyResultSet:
            # An empty IN (no card being worked on): nothing to read.
            parts.append("''")
            continue
        # A count and a sum of row hashes: the same rows give the same fingerprint in any
        # order, with no sort. hash_record_extended hashes the row's values as they are,
        # three times cheaper than hashing its text (timestamps formatted for each row).
        # `sql` is Django's own compilation of the queryset, its values passed as parameters.
        fingerprint = "SELECT count(*) || ':' || sum(hash_record_extended(r, 0))"
        parts.append(f"({fingerprint} FROM ({sql}) r)")
        params.extend(row_params)
    # Every report, page, acknowledgement or upgrade adds an event, and events are only ever
    # added: the newest of all (one index lookup) says whether a card may have changed. Any
    # team's event counts, which costs a rendering now and then, never a missed change.
    newest, newest_params = (
        EscalationEvent.objects.order_by("-pk").values("pk")[:1].query.sql_with_params()
    )
    parts.append(f"({newest})")
    params.extend(newest_params)
    return f"SELECT {', '.join(parts)}", params


def digest(*parts: object) -> str:
    return hashlib.sha256(repr((LAYOUT, *parts)).encode()).hexdigest()[:32]
