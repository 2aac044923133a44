"""The audit log: who saw or changed which patient's data, written once and never edited."""

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from followup.models import AuditEvent, Patient, User

# Action codes: short, stable, searchable; new ones may be added freely.
VIEW_DASHBOARD = "view.dashboard"
VIEW_PATIENT = "view.patient"
VIEW_MEDIA = "view.media"
VIEW_ADMIN = "view.admin"
VIEW_AUDIT = "view.audit"
ACKNOWLEDGE = "action.acknowledge"
RESOLVE = "action.resolve"
REVIEW = "action.review"
CARE_ITEM_DONE = "action.care_item_done"
EXPORT_AUDIT = "export.audit"
PRUNE_AUDIT = "prune.audit"
UNLOCK = "action.unlock_sign_in"
RECORD_CONSENT = "action.record_consent"
RECORD_OPT_OUT = "action.record_opt_out"
END_SESSIONS = "action.end_sessions"
RESET_AUTHENTICATOR = "action.reset_authenticator"
ENROLL = "action.enroll"
VIEW_CHART = "view.chart"
ASSIGN = "action.assign"
SEND_TEXT = "action.send_text"
ADD_NOTE = "action.add_note"
RECORD_CALL = "action.record_call"
PAUSE = "action.pause"
RESUME = "action.resume"
WITHDRAW = "action.withdraw"
EDIT_CONTACT = "action.edit_contact"
CHANGE_PROTOCOL = "action.change_protocol"
ASSIGN_PROTOCOL = "action.assign_protocol"
VIEW_PATIENT_LIST = "view.patient_list"
IMPORT_PATIENTS = "action.import_patients"
EDIT_ROSTER = "action.edit_roster"
VIEW_ARCHIVE = "view.escalation_archive"
VIEW_REPORT = "view.report"
EXPORT_REPORT = "export.report"
PURGE_EXPIRED = "purge.expired"
EDIT_PROTOCOL = "action.edit_protocol"
MOVE_TO_PROTOCOL = "action.move_to_protocol"
ADMIN_ADD = "admin.add"
ADMIN_CHANGE = "admin.change"
ADMIN_DELETE = "admin.delete"


@dataclass(frozen=True)
class Origin:
    """Where an action came from: the client's address and the request line."""

    remote_addr: str | None = None
    path: str = ""
    method: str = ""


def client_address(meta: Mapping[str, str]) -> str | None:
    """The client's IP: REMOTE_ADDR, or behind our proxy the X-Forwarded-For hop it added."""
    candidates = [meta.get("REMOTE_ADDR", "")]
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        # The proxy appends the address it saw; hops before it the client may have forged
        # (the same reading as followup/signin.py's lockout key).
        candidates.insert(0, meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip())
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def record(
    user: User | None,
    action: str,
    patient: Patient | int | None = None,
    detail: str = "",
    patients: Iterable[int] = (),
    origin: Origin | None = None,
) -> AuditEvent:
    """Write one audit event; `user` None means the system itself (a command, the worker)."""
    origin = origin or Origin()
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        patient_id=patient.pk if isinstance(patient, Patient) else patient,
        patients=sorted(set(patients)),
        detail=detail,
        remote_addr=origin.remote_addr,
        path=origin.path[:255],
        method=origin.method[:8],
    )


def patient_ids(*groups: Iterable[object]) -> list[int]:
    """The distinct `patient_id`s of rows shown on a page, e.g. the dashboard's lists."""
    found = {getattr(row, "patient_id", None) for group in groups for row in group}
    return sorted(pk for pk in found if isinstance(pk, int))


def search(viewer: User, patient: str = "", user: str = "") -> QuerySet[AuditEvent]:
    """Events about a patient (id or MRN, also within list views) and/or by a user, newest first.

    A viewer who is not a superuser sees the events about her teams' patients, and those without
    a patient recorded for the members of her teams.
    """
    events = AuditEvent.objects.select_related("patient", "user")
    if not viewer.is_superuser:
        teams = viewer.care_teams.all()
        events = events.filter(
            Q(patient_id__in=Patient.objects.for_user(viewer).values("pk"))
            | Q(patient_id=None, user__care_teams__in=teams)
            | Q(patient_id=None, user=viewer)
        ).distinct()
    patient, user = patient.strip(), user.strip()
    if patient:
        mrns = Patient.objects.for_user(viewer).filter(mrn__iexact=patient)
        ids = set(mrns.values_list("pk", flat=True))
        if patient.isdecimal() and int(patient) < 2**63:
            pk = int(patient)
            # Another team's id finds nothing; a superuser also finds a deleted patient's.
            if viewer.is_superuser or Patient.objects.for_user(viewer).filter(pk=pk).exists():
                ids.add(pk)
        about = Q(pk__in=[])
        for pk in ids:
            about |= Q(patient_id=pk)
            # SQLite (the demo) cannot search inside JSON lists; PostgreSQL uses a GIN index.
            if connection.vendor == "postgresql":
                about |= Q(patients__contains=[pk])
        events = events.filter(about)
    if user:
        by = Q(username__iexact=user)
        if user.isdecimal() and int(user) < 2**63:
            by |= Q(user_id=int(user))
        events = events.filter(by)
    return events.order_by("-at", "-pk")
