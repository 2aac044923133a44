"""What the dashboard would show, summed up in a few narrow queries, so an unchanged refresh
answers 304 without rendering anything."""

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Count, Max, QuerySet

from followup import access
from followup.models import EscalationEvent, OutboundMessage, User

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
    change a row in place: status, assignment, paging, processing); events and pages are
    append-only, so their count and highest id say whether any was added. What changes with
    time alone ("12 min ago", the post-op day, who is on call, a patient's or a team's details
    edited) is covered by the minute: at worst one full rendering a minute.
    """
    open_ids = escalations.order_by().values("pk")
    return [
        user.pk,
        sorted(right for right, held in access.rights_of(user).items() if held),
        # The minute, not the second: "12 min ago" and shift changes show within a minute.
        now.replace(second=0, microsecond=0).isoformat(),
        list(
            escalations.order_by("pk").values_list(
                "pk",
                "status",
                "severity",
                "needs_review",
                "assigned_to_id",
                "acknowledged_by_id",
                "page_level",
                "next_page_at",
            )
        ),
        EscalationEvent.objects.filter(escalation__in=open_ids)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("pk")),
        OutboundMessage.objects.filter(escalation__in=open_ids)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("pk")),
        list(messages.values_list("pk", "processed_at", "processing_attempts", "patient_id")),
        list(sends.order_by("pk").values_list("pk", "status", "error_code", "status_updated_at")),
        list(calls.order_by("pk").values_list("pk", "kind", "urgent", "detail")),
        # No query when the nurse works on no card (an empty IN is answered without one).
        list(resolved.order_by("pk").values_list("pk", "resolved_by_id")),
    ]


def digest(*parts: object) -> str:
    return hashlib.sha256(repr((LAYOUT, *parts)).encode()).hexdigest()[:32]
