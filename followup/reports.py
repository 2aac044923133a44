"""Team reports: enrollment, response, escalation and acknowledgement figures for a period."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Exists, OuterRef, Q, QuerySet

from followup.archive import has_finding, time_to_acknowledge
from followup.findings import FINDING_WORDS
from followup.models import (
    Answer,
    CareItem,
    CareTeam,
    CheckIn,
    Enrollment,
    Escalation,
    Patient,
    Severity,
)

DEFAULT_DAYS = 30


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value at `fraction`, interpolated between neighbours."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: object, fraction: float) -> None:
        super().__init__(expression, output_field=DurationField())
        self.extra["fraction"] = repr(float(fraction))


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


def period(start: dt.date, end: dt.date, zone: dt.tzinfo) -> Period:
    """From the start of `start` to the end of `end`, in `zone`."""
    first = dt.datetime.combine(start, dt.time(0, 0), tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return Period(first, after)


@dataclass(frozen=True)
class Report:
    enrolled: int
    checkins_sent: int
    checkins_answered: int
    checkins_missed: int
    no_response_items: int
    opted_out: int
    escalations: int
    acknowledged: int
    by_finding: list[tuple[str, str, int]]
    by_severity: list[tuple[int, str, int]]
    by_outcome: list[tuple[str, str, int]]
    median_ack: dt.timedelta | None
    p90_ack: dt.timedelta | None

    @property
    def response_rate(self) -> float | None:
        """Answered check-ins over those sent, 0-1; None when none were sent."""
        return self.checkins_answered / self.checkins_sent if self.checkins_sent else None


def build(teams: QuerySet[CareTeam], when: Period) -> Report:
    """The figures for these teams' patients over `when`: five queries whatever the size."""
    enrolled = Enrollment.objects.filter(
        when.q("enrolled_at"), patient__care_team__in=teams
    ).aggregate(n=Count("patient", distinct=True))["n"]
    answered = Exists(Answer.objects.filter(checkin=OuterRef("pk")))
    checkins = CheckIn.objects.filter(
        when.q("sent_at"), enrollment__patient__care_team__in=teams
    ).aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=answered),
        missed=Count("pk", filter=Q(status=CheckIn.Status.MISSED)),
    )
    items = CareItem.objects.filter(
        when.q("created_at"), patient__care_team__in=teams, kind=CareItem.Kind.NO_RESPONSE
    ).count()
    opted_out = Patient.objects.filter(when.q("sms_opted_out_at"), care_team__in=teams).count()
    escalations = Escalation.objects.filter(when.q("opened_at"), patient__care_team__in=teams)
    counts = escalations.aggregate(
        total=Count("pk"),
        acknowledged=Count("pk", filter=~Q(acknowledged_at=None)),
        **{f"finding_{code}": Count("pk", filter=has_finding(code)) for code in FINDING_WORDS},
        **{f"severity_{value}": Count("pk", filter=Q(severity=value)) for value in Severity.values},
        **{f"outcome_{value}": Count("pk", filter=Q(outcome=value)) for value in _outcomes()},
    )
    median, p90 = _ack_percentiles(escalations.exclude(acknowledged_at=None))
    return Report(
        enrolled=enrolled,
        checkins_sent=checkins["sent"],
        checkins_answered=checkins["answered"],
        checkins_missed=checkins["missed"],
        no_response_items=items,
        opted_out=opted_out,
        escalations=counts["total"],
        acknowledged=counts["acknowledged"],
        by_finding=[
            (code, words, counts[f"finding_{code}"])
            for code, words in FINDING_WORDS.items()
            if counts[f"finding_{code}"]
        ],
        by_severity=[
            (value, label, counts[f"severity_{value}"])
            for value, label in reversed(Severity.choices)
        ],
        by_outcome=[
            (value, label, counts[f"outcome_{value}"])
            for value, label in Escalation.Outcome.choices
        ],
        median_ack=median,
        p90_ack=p90,
    )


def _outcomes() -> list[str]:
    return list(Escalation.Outcome.values)


def _ack_percentiles(
    acknowledged: QuerySet[Escalation],
) -> tuple[dt.timedelta | None, dt.timedelta | None]:
    waits = acknowledged.annotate(wait=time_to_acknowledge())
    if connection.vendor == "postgresql":
        found = waits.aggregate(median=PercentileCont("wait", 0.5), p90=PercentileCont("wait", 0.9))
        return found["median"], found["p90"]
    # SQLite (the demo) has no percentile_cont: the same interpolation over the sorted waits.
    ordered = sorted(waits.values_list("wait", flat=True))
    return percentile(ordered, 0.5), percentile(ordered, 0.9)


def percentile(ordered: list[dt.timedelta], fraction: float) -> dt.timedelta | None:
    """percentile_cont over sorted values: linear between the two nearest ranks."""
    if not ordered:
        return None
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def csv_rows(report: Report) -> list[list[object]]:
    """The report as (section, item, value) rows for the CSV export."""
    rate = report.response_rate
    rows: list[list[object]] = [
        ["summary", "patients enrolled", report.enrolled],
        ["summary", "check-ins sent", report.checkins_sent],
        ["summary", "check-ins answered", report.checkins_answered],
        ["summary", "response rate", "" if rate is None else f"{rate:.3f}"],
        ["summary", "check-ins missed", report.checkins_missed],
        ["summary", "no-response care items", report.no_response_items],
        ["summary", "opted out of texts", report.opted_out],
        ["summary", "escalations", report.escalations],
        ["summary", "escalations acknowledged", report.acknowledged],
        ["summary", "median minutes to acknowledge", _minutes(report.median_ack)],
        ["summary", "90th percentile minutes to acknowledge", _minutes(report.p90_ack)],
    ]
    rows += [["finding", words, n] for _, words, n in report.by_finding]
    rows += [["severity", label, n] for _, label, n in report.by_severity]
    rows += [["outcome", label, n] for _, label, n in report.by_outcome]
    return rows


def _minutes(duration: dt.timedelta | None) -> str:
    return "" if duration is None else f"{duration.total_seconds() / 60:.1f}"


def minutes_text(duration: dt.timedelta | None) -> str:
    """A wait in minutes for the page, "—" when there is none."""
    return "—" if duration is None else f"{duration.total_seconds() / 60:.0f} min"
