"""What the dashboard would show, summed up in a few narrow queries, so an unchanged refresh
answers 304 without rendering anything."""

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, QuerySet

from followup import access
from followup.models import EscalationEvent, User

# Bumped when the partial's markup changes, so a browser never keeps rows of an older layout.
LAYOUT = "2"


def state(
    user: User,
    now: dt.datetime,
    *,
    escalations: QuerySet[Any],
    messages: QuerySet[Any],
    sends: QuerySet[Any],
    calls: QuerySet[Any],
    resolved: QuerySet[Any],
) -> list[object]:
    """Everything a rendering depends on, from the same scoped selectors the rendering uses.

    Rows are read as a few columns each (the membership of each list, and the fields that
    change a row in place: status, assignment, paging, processing). What changes with
    time alone ("12 min ago", the post-op day, who is on call, a patient's or a team's details
    edited) is covered by the minute: at worst one full rendering a minute.
    """
    lists = [
        escalations.order_by().values_list(
            "pk",
            "status",
            "severity",
            "needs_review",
            "assigned_to_id",
            "acknowledged_by_id",
            "page_level",
            "next_page_at",
        ),
        messages.order_by().values_list("pk", "processed_at", "processing_attempts", "patient_id"),
        sends.order_by().values_list("pk", "status", "error_code", "status_updated_at"),
        calls.order_by().values_list("pk", "kind", "urgent", "detail"),
        resolved.order_by().values_list("pk", "resolved_by_id"),
    ]
    return [
        user.pk,
        sorted(right for right, held in access.rights_of(user).items() if held),
        # The minute, not the second: "12 min ago" and shift changes show within a minute.
        now.replace(second=0, microsecond=0).isoformat(),
        # Every report, page, acknowledgement or upgrade adds an event, and events are only ever
        # added: the newest of all (one index lookup) says whether a card may have changed. Any
        # team's event counts, which costs a rendering now and then, never a missed change.
        EscalationEvent.objects.aggregate(last=Max("pk"))["last"],
        fingerprints(lists),
    ]


def fingerprints(lists: list[QuerySet[Any]]) -> list[object]:
    """A fingerprint of each list's rows: on PostgreSQL all in one statement that returns a few
    bytes (1,000 open escalations are summed up where they lie); elsewhere (the demo's SQLite)
    the rows themselves."""
    if connection.vendor != "postgresql":
        return [sorted(rows, key=repr) for rows in lists]
    parts: list[str] = []
    params: list[Any] = []
    for rows in lists:
        try:
            sql, row_params = rows.query.sql_with_params()
        except EmptyResultSet:
            # An empty IN (no card being worked on): nothing to read.
            parts.append("''")
            continue
        # A count and a sum of row hashes: the same rows give the same fingerprint in any
        # order, with no sort.
        # `sql` is Django's own compilation of the queryset, its values passed as parameters.
        fingerprint = "SELECT count(*) || ':' || sum(hashtextextended(r::text, 0))"
        parts.append(f"({fingerprint} FROM ({sql}) r)")
        params.extend(row_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return list(cursor.fetchone())


def digest(*parts: object) -> str:
    return hashlib.sha256(repr((LAYOUT, *parts)).encode()).hexdigest()[:32]
