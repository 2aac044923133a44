"""Finding patients: search by name, MRN or phone, filters, and who needs attention first."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from followup.models import (
    CareItem,
    CareTeam,
    Enrollment,
    Escalation,
    Patient,
    Surgery,
    User,
)

# Patient fields folded into Patient.search_text.
SEARCHED_FIELDS = frozenset({"first_name", "last_name", "mrn", "phone"})
# What people type around the digits of a phone number: "+1 (773) 555-0101".
PHONE_LIKE = re.compile(r"[\d\s()+.\-]*\d[\d\s()+.\-]*")
NOT_RESPONDING = (CareItem.Kind.NO_RESPONSE, CareItem.Kind.UNREACHABLE)

STATUSES = {
    "active": "Active",
    "paused": "Paused",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
    "opted_out": "Opted out of texts",
    "not_responding": "Not responding",
    "escalation": "Open escalation",
}


def fold(text: str) -> str:
    """Lowercase without accents: "José" and "jose" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(first_name: str, last_name: str, mrn: str, phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return fold(f"{first_name} {last_name} {mrn} {digits}")


def terms(query: str) -> list[str]:
    """The pieces a row must all contain; a phone number counts as its digits alone."""
    query = query.strip()
    if PHONE_LIKE.fullmatch(query):
        return ["".join(c for c in query if c.isdigit())]
    return fold(query).split()


@dataclass(frozen=True)
class Filters:
    query: str = ""
    team: int | None = None
    surgeon: int | None = None
    status: str = ""


def _open_escalation() -> Exists:
    return Exists(
        Escalation.objects.filter(patient=OuterRef("pk")).exclude(status=Escalation.Status.RESOLVED)
    )


def _open_items(kinds: tuple[str, ...] = ()) -> Exists:
    items = CareItem.objects.filter(patient=OuterRef("pk"), done_at=None)
    return Exists(items.filter(kind__in=kinds) if kinds else items)


def find(patients: QuerySet[Patient], filters: Filters) -> QuerySet[Patient]:
    """`patients` (already scoped to the user's teams) narrowed, annotated and ordered."""
    for term in terms(filters.query):
        patients = patients.filter(search_text__contains=term)
    if filters.team is not None:
        patients = patients.filter(care_team_id=filters.team)
    if filters.surgeon is not None:
        patients = patients.filter(
            Exists(Surgery.objects.filter(patient=OuterRef("pk"), surgeon_id=filters.surgeon))
        )
    status = filters.status
    if status in Enrollment.Status.values:
        patients = patients.filter(
            Exists(Enrollment.objects.filter(patient=OuterRef("pk"), status=status))
        )
    elif status == "opted_out":
        patients = patients.exclude(sms_opted_out_at=None)
    elif status == "not_responding":
        patients = patients.filter(_open_items(NOT_RESPONDING))
    elif status == "escalation":
        patients = patients.filter(_open_escalation())
    latest_surgery = Surgery.objects.filter(patient=OuterRef("pk")).order_by("-date", "-pk")
    latest_enrollment = Enrollment.objects.filter(patient=OuterRef("pk")).order_by(
        "-enrolled_at", "-pk"
    )
    # One query for the whole page: no per-row lookups of surgery, enrollment or items.
    return patients.annotate(
        has_escalation=_open_escalation(),
        has_items=_open_items(),
        not_responding=_open_items(NOT_RESPONDING),
        surgery_day=Subquery(latest_surgery.values("date")[:1]),
        enrollment_status=Subquery(latest_enrollment.values("status")[:1]),
    ).order_by("-has_escalation", "-has_items", "last_name", "first_name", "pk")


def postop_day(patient: Patient, now: dt.datetime) -> int | None:
    """Post-op day from the annotated `surgery_day`, in the patient's own time zone."""
    day: dt.date | None = getattr(patient, "surgery_day", None)
    return None if day is None else (now.astimezone(patient.tz).date() - day).days


def status_labels(patient: Patient) -> list[str]:
    labels = []
    if getattr(patient, "has_escalation", False):
        labels.append(STATUSES["escalation"])
    if getattr(patient, "not_responding", False):
        labels.append(STATUSES["not_responding"])
    if patient.sms_opted_out_at is not None:
        labels.append(STATUSES["opted_out"])
    enrollment_status = getattr(patient, "enrollment_status", None)
    labels.append(STATUSES.get(enrollment_status or "", "Not enrolled"))
    return labels


def surgeons(patients: QuerySet[Patient]) -> QuerySet[User]:
    """Surgeons who operated on these patients, for the filter."""
    return (
        User.objects.filter(surgeries__patient__in=patients.values("pk"))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def team_choices(teams: models.QuerySet[CareTeam]) -> list[tuple[int, str]]:
    return list(teams.order_by("name").values_list("pk", "name"))


def filter_choice(choices: list[tuple[int, str]], empty: str) -> forms.TypedChoiceField:
    """An optional filter by one id of `choices`, `empty` meaning no filter; bad values read
    as none chosen."""
    return forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", empty), *choices]
    )
