"""The escalation archive: every escalation of the user's teams, open and resolved, filtered."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import CombinedExpression

from followup.models import Escalation, User


@dataclass(frozen=True)
class Filters:
    team: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    severity: int | None = None
    finding: str = ""
    outcome: str = ""
    acknowledged_by: int | None = None


def has_finding(code: str) -> Q:
    """Escalations whose findings list holds `code`."""
    if connection.vendor == "postgresql":
        return Q(findings__contains=[code])
    # SQLite (the demo) cannot look inside JSON lists; the quoted code matches one element.
    return Q(findings__icontains=f'"{code}"')


def find(visible: QuerySet[Escalation], filters: Filters, zone: dt.tzinfo) -> QuerySet[Escalation]:
    """The escalations that match, newest first, with the time each took to acknowledge."""
    found = visible.select_related("patient", "patient__care_team", "acknowledged_by")
    if filters.team is not None:
        found = found.filter(patient__care_team_id=filters.team)
    if filters.start is not None:
        found = found.filter(opened_at__gte=_midnight(filters.start, zone))
    if filters.end is not None:
        # The end date counts in full.
        found = found.filter(opened_at__lt=_midnight(filters.end + dt.timedelta(days=1), zone))
    if filters.severity is not None:
        found = found.filter(severity=filters.severity)
    if filters.finding:
        found = found.filter(has_finding(filters.finding))
    if filters.outcome:
        found = found.filter(outcome=filters.outcome)
    if filters.acknowledged_by is not None:
        found = found.filter(acknowledged_by_id=filters.acknowledged_by)
    return found.annotate(time_to_acknowledge=time_to_acknowledge()).order_by("-opened_at", "-pk")


def time_to_acknowledge() -> "ExpressionWrapper[CombinedExpression]":
    return ExpressionWrapper(F("acknowledged_at") - F("opened_at"), output_field=DurationField())


def acknowledgers(visible: QuerySet[Escalation]) -> list[tuple[int, str]]:
    """Who acknowledged any of these escalations, for the filter's choices."""
    users = User.objects.filter(
        pk__in=visible.exclude(acknowledged_by=None).values("acknowledged_by")
    ).order_by("username")
    return [(user.pk, user.get_full_name() or user.username) for user in users]


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)


def duration_text(duration: dt.timedelta | None) -> str:
    """A short reading of a wait: "45 min", "2 h 5 min", "3 d 4 h"; empty when none."""
    if duration is None:
        return ""
    minutes = max(0, int(duration.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
