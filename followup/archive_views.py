"""The escalation archive page."""

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from followup import access, archive, audit, audit_views, patient_search
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.findings import FINDING_WORDS, finding_words
from followup.forms import DateFormField
from followup.models import Escalation, Severity
from followup.pagination import paginate


class ArchiveForm(forms.Form):
    start = DateFormField(
        required=False, label="Opened from", widget=forms.DateInput({"type": "date"})
    )
    end = DateFormField(required=False, label="Opened to", widget=forms.DateInput({"type": "date"}))
    severity = patient_search.filter_choice(list(Severity.choices), "Any severity")
    finding = forms.ChoiceField(
        required=False, choices=[("", "Any finding"), *sorted(FINDING_WORDS.items())]
    )
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any outcome"), *Escalation.Outcome.choices]
    )

    def __init__(
        self, data: QueryDict, teams: list[tuple[int, str]], users: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        # Only the user's own teams, and people who acknowledged escalations she can see.
        self.fields["team"] = patient_search.filter_choice(teams, "All my teams")
        self.fields["acknowledged_by"] = patient_search.filter_choice(users, "Anyone")
        self.fields["acknowledged_by"].label = "Acknowledged by"


@requires(Right.READ_DASHBOARD)
def escalation_archive(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = access.visible(Escalation.objects.all(), request.user)
    form = ArchiveForm(
        request.GET,
        teams=patient_search.team_choices(access.teams_of(request.user)),
        users=archive.acknowledgers(visible),
    )
    # A field that does not parse is ignored; the others still apply.
    form.is_valid()
    data = form.cleaned_data
    filters = archive.Filters(
        team=data.get("team"),
        start=data.get("start"),
        end=data.get("end"),
        severity=data.get("severity"),
        finding=data.get("finding") or "",
        outcome=data.get("outcome") or "",
        acknowledged_by=data.get("acknowledged_by"),
    )
    found = archive.find(visible, filters, timezone.get_current_timezone())
    page, query = paginate(request.GET, found)
    rows = [
        (
            e,
            [finding_words(code) for code in e.findings],
            # Annotated by archive.find.
            archive.duration_text(e.time_to_acknowledge),
        )
        for e in page.object_list
    ]
    response = render(
        request,
        "escalations/archive.html",
        {"form": form, "page": page, "rows": rows, "query": query},
    )
    audit_views.viewed(
        request,
        audit.VIEW_ARCHIVE,
        audit.patient_ids(page.object_list),
        detail=query[:200],
    )
    return response
