"""What the dashboard would show, summed up in one statement, so an unchanged refresh answers
304 without rendering anything."""

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, QuerySet

from followup import access, kept_queries
from followup.models import EscalationEvent, User

# Bumped when the partial's markup changes, so a browser never keeps rows of an older layout.
LAYOUT = "4"

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


@dataclass(frozen=True)
class Tally:
    """A list whose rows are also counted by the value of one of its columns."""

    rows: QuerySet[Any]
    column: str
    values: tuple[object, ...]


List = QuerySet[Any] | Tally
Lists = Callable[[dt.datetime], list[List]]


def _summed_up(entry: List) -> str:
    """What the statement gives for a list, computed from its rows (off PostgreSQL)."""
    rows = list(entry.rows if isinstance(entry, Tally) else entry)
    parts = [str(len(rows)), hashlib.sha256(repr(sorted(rows, key=repr)).encode()).hexdigest()]
    if isinstance(entry, Tally):
        at = list(entry.rows.query.values_select).index(entry.column)
        held = [row[at] for row in rows]
        parts += [str(held.count(value)) for value in entry.values]
    return ":".join(parts)


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
    the same summary computed from the rows."""
    if connection.vendor != "postgresql":
        newest = EscalationEvent.objects.aggregate(last=Max("pk"))["last"]
        return [*(_summed_up(entry) for entry in lists(now)), newest]
    row = kept_queries.first_row(("version", key), now, lambda at: compile_lists(lists(at)))
    return list(row or ())


def compile_lists(lists: list[List]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for entry in lists:
        rows = entry.rows if isinstance(entry, Tally) else entry
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
        if isinstance(entry, Tally):
            # Counted in the same pass over the rows.
            column = connection.ops.quote_name(entry.column)
            for value in entry.values:
                fingerprint += f" || ':' || count(*) FILTER (WHERE r.{column} = %s)"
                params.append(value)
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


def counts(fingerprints: list[object]) -> list[tuple[int, list[int]]]:
    """How many rows each list has and, of a tally, how many hold each of its values in turn,
    read off the fingerprints (`count:sum:tally...`, None when empty): the dashboard's counts
    cost no statement of their own."""
    found: list[tuple[int, list[int]]] = []
    for fingerprint in fingerprints:
        if isinstance(fingerprint, str) and ":" in fingerprint:
            total, _, *tallied = fingerprint.split(":")
            found.append((int(total), [int(n) for n in tallied]))
        else:
            found.append((0, []))
    return found


def digest(*parts: object) -> str:
    return hashlib.sha256(repr((LAYOUT, *parts)).encode()).hexdigest()[:32]
