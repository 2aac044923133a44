"""Auditing from views (what a request showed or changed) and the audit log pages."""

from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render

from followup import access, audit, csv_export
from followup.auth import AuthenticatedHttpRequest
from followup.models import AuditEvent, Patient, User
from followup.pagination import paginate

# Kept here too: older callers import it from this module.
neutralise = csv_export.neutralise


def origin(request: HttpRequest) -> audit.Origin:
    return audit.Origin(audit.client_address(request.META), request.path, request.method or "")


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def viewed(
    request: HttpRequest, action: str, patients: Iterable[int], detail: str = ""
) -> AuditEvent:
    """Record that this request showed these patients (a list page)."""
    return audit.record(
        _user(request), action, patients=patients, detail=detail, origin=origin(request)
    )


def acted(
    request: HttpRequest, action: str, patient: Patient | int | None, detail: str = ""
) -> AuditEvent:
    """Record that this request showed or changed one patient's data."""
    return audit.record(_user(request), action, patient, detail, origin=origin(request))


def dashboard_viewed(request: HttpRequest, patient_ids: Iterable[int]) -> AuditEvent | None:
    """Call only when the dashboard or its partial sent rows: an unchanged refresh shows nothing
    new. A dashboard with no patients on it discloses nothing and writes nothing."""
    shown = list(patient_ids)
    return viewed(request, audit.VIEW_DASHBOARD, shown) if shown else None


def reader_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in (else the login page), and an auditor, team lead or superuser (else 403)."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Not access.requires: its views return HttpResponse, and the export streams.
        if not access.can(request.user, access.Right.READ_AUDIT):
            raise PermissionDenied(access.REASONS[access.Right.READ_AUDIT])
        return view(request, *args, **kwargs)

    return login_required(wrapped)


class SearchForm(forms.Form):
    patient = forms.CharField(required=False, max_length=32, label="Patient (id or MRN)")
    user = forms.CharField(required=False, max_length=150, label="User (username or id)")


def _filters(request: HttpRequest) -> dict[str, str]:
    form = SearchForm(request.GET)
    return form.cleaned_data if form.is_valid() else {"patient": "", "user": ""}


def _query(filters: dict[str, str]) -> str:
    return " ".join(f"{key}={value}" for key, value in filters.items() if value)


@reader_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    page, pager_query = paginate(request.GET, audit.search(request.user, **filters))
    # Reading the log shows patients too: that is itself on record.
    viewed(request, audit.VIEW_AUDIT, audit.patient_ids(page), detail=_query(filters))
    return render(
        request,
        "audit/log.html",
        {
            "form": SearchForm(filters),
            "page": page,
            "query": request.GET.urlencode(),
            "pager_query": pager_query,
        },
    )


HEADER = ["at", "user_id", "username", "action", "patient_id", "patients", "detail"]
HEADER += ["remote_addr", "method", "path"]


def _csv_rows(
    events: Iterable[AuditEvent], visible: set[int] | None = None
) -> Iterator[list[str | int | None]]:
    """One row per event; of the patients a list showed, only those in `visible` (None: all).
    A colleague on two teams lists both teams' patients, and a reader of one team's log must
    not learn the other's."""
    for e in events:
        shown = e.patients if visible is None else [pk for pk in e.patients if pk in visible]
        patients = " ".join(str(pk) for pk in shown)
        row = [e.at.isoformat(), e.user_id, e.username, e.action, e.patient_id, patients]
        row += [e.detail, e.remote_addr, e.method, e.path]
        yield row


@reader_required
def audit_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    # Recorded before the first byte goes out, so an export that breaks off is still on record.
    audit.record(request.user, audit.EXPORT_AUDIT, detail=_query(filters), origin=origin(request))
    events = audit.search(request.user, **filters).iterator(chunk_size=2000)
    visible = None
    if not request.user.is_superuser:
        visible = set(Patient.objects.for_user(request.user).values_list("pk", flat=True))
    return csv_export.stream("audit.csv", HEADER, _csv_rows(events, visible))
