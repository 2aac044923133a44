"""Who sees which patients and who may do what: one table of rights, one scoping layer."""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404

from followup.models import CareTeam, TeamScopedQuerySet, User
from followup.signin import signed_out

Role = User.Role


class Right(StrEnum):
    READ_DASHBOARD = "read_dashboard"
    READ_PROTOCOLS = "read_protocols"
    READ_AUDIT = "read_audit"
    ACT_ON_ESCALATIONS = "act_on_escalations"
    REVIEW_MESSAGES = "review_messages"
    COMPLETE_CARE_ITEMS = "complete_care_items"
    RECORD_CONSENT = "record_consent"
    EDIT_PROTOCOLS = "edit_protocols"
    MANAGE_TEAMS = "manage_teams"
    ADMINISTER = "administer"


NURSE = {
    Right.READ_DASHBOARD,
    Right.READ_PROTOCOLS,
    Right.ACT_ON_ESCALATIONS,
    Right.REVIEW_MESSAGES,
    Right.COMPLETE_CARE_ITEMS,
    Right.RECORD_CONSENT,
}
SURGEON = {Right.READ_DASHBOARD, Right.READ_PROTOCOLS, Right.EDIT_PROTOCOLS}

RIGHTS: dict[str, frozenset[Right]] = {
    Role.NURSE: frozenset(NURSE),
    Role.SURGEON: frozenset(SURGEON),
    Role.TEAM_LEAD: frozenset(NURSE | SURGEON | {Right.MANAGE_TEAMS, Right.READ_AUDIT}),
    # Auditors read what their teams see and change nothing.
    Role.AUDITOR: frozenset({Right.READ_DASHBOARD, Right.READ_PROTOCOLS, Right.READ_AUDIT}),
    # System administrators run the Django admin; clinical actions are the clinicians'.
    Role.ADMIN: frozenset(
        {Right.READ_DASHBOARD, Right.READ_PROTOCOLS, Right.ADMINISTER, Right.MANAGE_TEAMS}
    ),
}

# Why a right was refused, shown on the 403 page.
REASONS: dict[Right, str] = {
    Right.READ_DASHBOARD: "Your role does not include reading the dashboard.",
    Right.READ_PROTOCOLS: "Your role does not include reading protocols.",
    Right.READ_AUDIT: "Only auditors and team leads read the audit log.",
    Right.ACT_ON_ESCALATIONS: "Only nurses and team leads acknowledge or resolve escalations.",
    Right.REVIEW_MESSAGES: "Only nurses and team leads mark messages as reviewed.",
    Right.COMPLETE_CARE_ITEMS: "Only nurses and team leads close items on the call list.",
    Right.RECORD_CONSENT: "Only nurses and team leads record a patient's consent or opt-out.",
    Right.EDIT_PROTOCOLS: "Only surgeons and team leads change protocols.",
    Right.MANAGE_TEAMS: "Only team leads and administrators change staff and team settings.",
    Right.ADMINISTER: "Only system administrators use the admin.",
}


def can(user: AbstractBaseUser | AnonymousUser, right: Right) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or right in RIGHTS.get(user.role, frozenset())


def rights_of(user: AbstractBaseUser | AnonymousUser) -> dict[str, bool]:
    """Every right by name, for templates to hide what the user cannot use."""
    return {right.value: can(user, right) for right in Right}


_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def requires(right: Right) -> Callable[[_View], _View]:
    """Signed in (else the login page), and holding `right` (else 403 with the reason)."""

    def decorate(view: _View) -> _View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                # The sign-in page, or for the dashboard's own refresh a 401 that keeps the
                # page (and what was typed on it) where it is.
                return signed_out(request)
            if not can(request.user, right):
                return HttpResponseForbidden(
                    REASONS[right], content_type="text/plain; charset=utf-8"
                )
            return view(request, *args, **kwargs)

        guarded: _View = checked  # type: ignore[assignment]
        # Read by tests/test_access.py, which fails on a page that declares no right.
        guarded.required_right = right  # type: ignore[attr-defined]
        return guarded

    return decorate


_M = TypeVar("_M", bound=models.Model)
_QS = TypeVar("_QS", bound=TeamScopedQuerySet[Any])


def visible(queryset: _QS, user: AbstractBaseUser | AnonymousUser) -> _QS:
    """The rows of `queryset` about patients of the user's care teams (superusers: all)."""
    return queryset.for_user(user)


def get_visible_or_404(
    queryset: TeamScopedQuerySet[_M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> _M:
    # Another team's row answers exactly like a missing one: no hint that it exists.
    return get_object_or_404(queryset.for_user(user), **lookup)


def teams_of(user: AbstractBaseUser | AnonymousUser) -> models.QuerySet[CareTeam]:
    if not isinstance(user, User) or not user.is_active:
        return CareTeam.objects.none()
    return CareTeam.objects.all() if user.is_superuser else user.care_teams.all()


def user_rights(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """Template context: `rights.<name>` hides what the signed-in user cannot use."""
    return {"rights": rights_of(request.user)}
