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
    listed = {pk for event in page for pk in event.patients}
    events = list(as_seen_by(page, _visible(request.user, listed)))
    # Reading the log shows patients too: that is itself on record.
    viewed(request, audit.VIEW_AUDIT, audit.patient_ids(events), detail=_query(filters))
    return render(
        request,
        "audit/log.html",
        {
            "form": SearchForm(filters),
            "page": page,
            "events": events,
            "query": request.GET.urlencode(),
            "pager_query": pager_query,
        },
    )


HEADER = ["at", "user_id", "username", "action", "patient_id", "patients", "detail"]
HEADER += ["remote_addr", "method", "path"]


WITHHELD = "(withheld: the list named patients of a team you are not on)"


def _visible(reader: User, listed: Iterable[int] | None = None) -> set[int] | None:
    """Which patients the reader may see: of `listed`, or all of hers; None for a superuser."""
    if reader.is_superuser:
        return None
    patients = Patient.objects.for_user(reader)
    if listed is not None:
        patients = patients.filter(pk__in=list(listed))
    return set(patients.values_list("pk", flat=True))


def as_seen_by(events: Iterable[AuditEvent], visible: set[int] | None) -> Iterator[AuditEvent]:
    """The events as a reader who sees only `visible` patients (None: all) may read them.

    A colleague on two teams lists both teams' patients, and a reader of one team's log must not
    learn the other's: not their ids, not how many there were, and not the search terms that
    found them (a name typed into the patient list). The events are changed in memory only; the
    database refuses to change an audit event.
    """
    for event in events:
        if visible is not None and event.patients:
            shown = [pk for pk in event.patients if pk in visible]
            if len(shown) < len(event.patients):
                event.patients, event.detail = shown, WITHHELD
        yield event


def _csv_rows(events: Iterable[AuditEvent]) -> Iterator[list[str | int | None]]:
    for e in events:
        patients = " ".join(str(pk) for pk in e.patients)
        row = [e.at.isoformat(), e.user_id, e.username, e.action, e.patient_id, patients]
        row += [e.detail, e.remote_addr, e.method, e.path]
        yield row


@reader_required
def audit_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    # Recorded before the first byte goes out, so an export that breaks off is still on record.
    audit.record(request.user, audit.EXPORT_AUDIT, detail=_query(filters), origin=origin(request))
    events = audit.search(request.user, **filters).iterator(chunk_size=2000)
    seen = as_seen_by(events, _visible(request.user))
    return csv_export.stream("audit.csv", HEADER, _csv_rows(seen))
