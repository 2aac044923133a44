"""Roster pages: team leads see and edit who is on call for their teams."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from followup import access, audit, audit_views, roster
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.forms import DateTimeFormField
from followup.models import CareTeam, Shift, User

# How far ahead the page lists shifts and gaps.
AHEAD = dt.timedelta(days=14)


class ShiftForm(forms.Form):
    care_team = forms.ModelChoiceField(queryset=CareTeam.objects.none(), label="Team")
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Clinician")
    role = forms.ChoiceField(choices=Shift.Role.choices)
    starts_at = DateTimeFormField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = DateTimeFormField(
        label="Ends",
        required=False,
        help_text="Leave empty for an open-ended shift",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, teams: QuerySet[CareTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["care_team"].queryset = teams  # type: ignore[attr-defined]
        members = User.objects.filter(care_teams__in=teams, is_active=True).distinct()
        self.fields["user"].queryset = members.order_by("last_name", "username")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team = data.get("care_team")
        if team is not None:
            # Times are typed as the team's clinic clock shows them.
            for name in ("starts_at", "ends_at"):
                if data.get(name) is not None:
                    wall = timezone.localtime(data[name]).replace(tzinfo=None)
                    data[name] = wall.replace(tzinfo=team.tz)
        return data


def _teams(user: User) -> QuerySet[CareTeam]:
    return access.teams_of(user).order_by("name")


@requires(Right.MANAGE_TEAMS)
def roster_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = _teams(request.user)
    form = ShiftForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = roster.add_shift(
                data["care_team"], data["user"], data["role"], data["starts_at"], data["ends_at"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            audit_views.acted(request, audit.EDIT_ROSTER, None, f"added shift {shift.pk}")
            messages.success(request, "Shift added.")
            return redirect("roster")
    now = timezone.now()
    shifts = (
        Shift.objects.for_user(request.user)
        .filter(Q(ends_at=None) | Q(ends_at__gt=now), starts_at__lt=now + AHEAD)
        .select_related("user", "care_team")
        .order_by("care_team__name", "starts_at")
    )
    return render(
        request,
        "roster/list.html",
        {
            "form": form,
            "now": now,
            "coverage": roster.coverage(teams, now, AHEAD),
            "shifts": shifts,
        },
    )


@requires(Right.MANAGE_TEAMS)
@require_POST
def roster_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Another team's shift is a 404, like a missing one.
    shift = access.get_visible_or_404(Shift.objects.all(), request.user, pk=pk)
    if roster.end_shift(shift, timezone.now()):
        audit_views.acted(request, audit.EDIT_ROSTER, None, f"ended shift {pk}")
        messages.success(request, "Shift ended.")
    else:
        messages.error(request, "That shift is already over.")
    return redirect("roster")
