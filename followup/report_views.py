"""The reports page, its chart data and its CSV export."""

import datetime as dt
import json
from collections.abc import Sequence

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from followup import access, audit, audit_views, csv_export, patient_search, reports
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.forms import DateFormField

HEADER = ["section", "item", "value"]


class ReportForm(forms.Form):
    start = DateFormField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = DateFormField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def __init__(self, data: QueryDict, teams: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["team"] = forms.TypedChoiceField(
            required=False, coerce=int, empty_value=None, choices=[("", "All my teams"), *teams]
        )


def _report(
    request: AuthenticatedHttpRequest,
) -> tuple[ReportForm, dt.date, dt.date, reports.Report]:
    teams = access.teams_of(request.user)
    form = ReportForm(request.GET, patient_search.team_choices(teams))
    # A field that does not parse is ignored; the others still apply.
    form.is_valid()
    data = form.cleaned_data
    end = data.get("end") or timezone.localdate()
    start = data.get("start") or end - dt.timedelta(days=reports.DEFAULT_DAYS - 1)
    if data.get("team") is not None:
        teams = teams.filter(pk=data["team"])
    when = reports.period(start, end, timezone.get_current_timezone())
    return form, start, end, reports.build(teams, when)


def _detail(request: AuthenticatedHttpRequest, start: dt.date, end: dt.date) -> str:
    team = request.GET.get("team", "")
    return f"{start.isoformat()}..{end.isoformat()}" + (f" team={team[:12]}" if team else "")


def _charts(report: reports.Report) -> dict[str, str]:
    # Read by report_chart.js from data-* attributes: no inline script under the CSP.
    def chart(rows: Sequence[tuple[object, str, int]]) -> str:
        return json.dumps({"labels": [r[1] for r in rows], "values": [r[2] for r in rows]})

    return {
        "finding": chart(report.by_finding),
        "severity": chart(report.by_severity),
        "outcome": chart(report.by_outcome),
    }


@requires(Right.READ_DASHBOARD)
def report_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end, report = _report(request)
    query = request.GET.copy()
    query["start"], query["end"] = start.isoformat(), end.isoformat()
    response = render(
        request,
        "reports/report.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "report": report,
            "charts": _charts(report),
            "query": query.urlencode(),
            "median": reports.minutes_text(report.median_ack),
            "p90": reports.minutes_text(report.p90_ack),
        },
    )
    # Counts only, no patient named: on record without patient ids.
    audit_views.viewed(request, audit.VIEW_REPORT, [], detail=_detail(request, start, end))
    return response


@requires(Right.READ_DASHBOARD)
def report_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _, start, end, report = _report(request)
    # Recorded before the first byte goes out, like the audit log's export.
    audit_views.viewed(request, audit.EXPORT_REPORT, [], detail=_detail(request, start, end))
    name = f"report-{start.isoformat()}-{end.isoformat()}.csv"
    return csv_export.response(name, HEADER, reports.csv_rows(report))
