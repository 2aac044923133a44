"""Importing patients from a CSV: check every row, then enroll the new and update the changed."""

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from followup import audit, consent, scheduling
from followup.forms import plausible
from followup.models import (
    CareTeam,
    Enrollment,
    Language,
    Patient,
    Protocol,
    Surgery,
    User,
    validate_time_zone,
)
from followup.phones import to_e164

# The columns, in order; deploy/patients-sample.csv shows each one filled in.
COLUMNS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "mrn",
    "phone",
    "language",
    "time_zone",
    "care_team",
    "surgery_date",
    "procedure",
    "surgeon_username",
    "consent_given_at",
    "consent_method",
    "caregiver_name",
    "caregiver_phone",
)
REQUIRED = (
    "first_name",
    "last_name",
    "date_of_birth",
    "mrn",
    "phone",
    "care_team",
    "surgery_date",
    "procedure",
    "surgeon_username",
)
CONSENT_METHODS = tuple(code for code, _ in consent.CONSENT_METHODS)
APPROACHES = {
    Surgery.Procedure.ALIF: Surgery.Approach.ANTERIOR,
    Surgery.Procedure.ACDF: Surgery.Approach.ANTERIOR,
    Surgery.Procedure.LLIF: Surgery.Approach.LATERAL,
}
# Compared with what is on file to tell an unchanged row from a changed one.
PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "language",
    "time_zone",
    "care_team",
    "caregiver_name",
    "caregiver_phone",
)
SURGERY_FIELDS = ("date", "procedure", "surgeon")
# Optional columns: blank or absent, a new patient gets the default and one on file keeps hers.
OPTIONAL_FIELDS = ("language", "time_zone", "caregiver_name", "caregiver_phone")


def _chars(name: str) -> int:
    """How many characters the patient's column `name` holds."""
    field: Any = Patient._meta.get_field(name)
    return int(field.max_length)


MRN_CHARS = _chars("mrn")
NAME_CHARS = {name: _chars(name) for name in ("first_name", "last_name", "caregiver_name")}

NEW, SAME, CHANGED, INVALID = "new", "unchanged", "changed", "invalid"


class BadFile(ValueError):
    """The file cannot be imported at all (not a CSV with the documented columns, too long, or
    no default protocol to follow); the message says why."""


NO_DEFAULT = (
    "No protocol is marked as the default, and imported patients follow the default: an "
    "administrator must mark one in the admin (Protocols) before patients are imported."
)


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    mrn: str
    outcome: str = NEW
    reason: str = ""
    patient: dict[str, Any] = field(default_factory=dict)
    surgery: dict[str, Any] = field(default_factory=dict)
    consent: tuple[dt.datetime, str] | None = None
    existing: Patient | None = None
    # Optional fields the file leaves blank or has no column for: kept as on file.
    kept: tuple[str, ...] = ()


@dataclass
class Result:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    saved: bool = False


def read(text: str) -> list[dict[str, str]]:
    if "\x00" in text:
        # A spreadsheet's own format, or a damaged file: no CSV holds NUL characters.
        raise BadFile("The file holds NUL characters: save it again as CSV in UTF-8.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise BadFile(f"Missing columns: {', '.join(missing)}. Expected: {', '.join(COLUMNS)}")
        reader.fieldnames = header
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as error:
        # A field longer than the csv module reads, or quoting it cannot follow; the line it
        # failed on is the one after the last read whole.
        raise BadFile(f"Line {reader.line_num + 1} cannot be read as CSV: {error}.") from None


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{name} {value!r} is not a date like 2026-03-31") from None


def _phone(value: str, name: str) -> str:
    try:
        return to_e164(value)
    except ValidationError:
        raise ValidationError(f"{name} {value!r} is not a valid phone number") from None


def _consent(value: str, method: str, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, str] | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"consent_given_at {value!r} is not a date or time") from None
    if not plausible(when.date()):
        raise ValidationError(f"consent_given_at {value!r} is not between 1900 and 2999")
    if timezone.is_naive(when):
        # Written in the clinic's day, as staff read it off the form.
        when = when.replace(tzinfo=tz)
    if when > timezone.now():
        raise ValidationError("consent_given_at is in the future")
    if method.lower() not in CONSENT_METHODS:
        raise ValidationError(f"consent_method must be one of {', '.join(CONSENT_METHODS)}")
    return when, method.lower()


def _clean(
    raw: dict[str, str],
    teams: dict[str, CareTeam],
    surgeons: dict[str, tuple[User, set[int]]],
    row: Row,
    zone_on_file: str = "",
) -> None:
    """`row` filled from `raw`, or a ValidationError saying what is wrong; `zone_on_file` is the
    time zone of the patient already on file, which a blank time_zone keeps."""
    broken = [name for name, value in raw.items() if "\n" in value or "\r" in value]
    if broken:
        # An unmatched quote runs a value on to the lines after it, swallowing their rows.
        raise ValidationError(
            f"{', '.join(broken)} runs over several lines: look for a stray quote in this row"
        )
    missing = [name for name in REQUIRED if not raw.get(name)]
    if missing:
        raise ValidationError(f"empty {', '.join(missing)}")
    # Longer than its column is a row error, never a silent cut.
    for name, limit in NAME_CHARS.items():
        if len(raw.get(name, "")) > limit:
            raise ValidationError(f"{name} longer than {limit} characters")
    team = teams.get(raw["care_team"].casefold())
    if team is None:
        raise ValidationError(f"care team {raw['care_team']!r} is not one of yours")
    surgeon, surgeon_teams = surgeons.get(raw["surgeon_username"].casefold(), (None, set()))
    if surgeon is None or team.pk not in surgeon_teams:
        # Said alike for a username that is nobody's: the import tells no one who exists.
        raise ValidationError(
            f"surgeon_username {raw['surgeon_username']!r} is not a surgeon of {team.name}"
        )
    language = raw.get("language") or Language.ENGLISH
    if language not in Language.values:
        raise ValidationError(f"language must be one of {', '.join(Language.values)}")
    # A blank zone keeps the one on file (consent times are read in it), else the team's.
    time_zone = raw.get("time_zone") or zone_on_file or team.time_zone
    try:
        validate_time_zone(time_zone)
    except ValidationError:
        raise ValidationError(f"time_zone {time_zone!r} is not like America/Chicago") from None
    tz = zoneinfo.ZoneInfo(time_zone)
    procedure = raw["procedure"].lower()
    if procedure not in Surgery.Procedure.values:
        raise ValidationError(f"procedure must be one of {', '.join(Surgery.Procedure.values)}")
    born = _date(raw["date_of_birth"], "date_of_birth")
    if born >= timezone.localdate():
        raise ValidationError("date_of_birth is not in the past")
    if not plausible(born):
        raise ValidationError(f"date_of_birth {born} is before 1900")
    caregiver_phone = raw.get("caregiver_phone", "")
    row.patient = {
        "first_name": raw["first_name"],
        "last_name": raw["last_name"],
        "date_of_birth": born,
        "phone": _phone(raw["phone"], "phone"),
        "language": language,
        "time_zone": time_zone,
        "care_team": team,
        "caregiver_name": raw.get("caregiver_name", ""),
        "caregiver_phone": _phone(caregiver_phone, "caregiver_phone") if caregiver_phone else "",
    }
    surgery_date = _date(raw["surgery_date"], "surgery_date")
    if not plausible(surgery_date):
        # Planning counts days from it: a year like 9999 is a typo that cannot be planned.
        raise ValidationError(f"surgery_date {surgery_date} is not a date between 1900 and 2999")
    row.surgery = {
        "date": surgery_date,
        "procedure": procedure,
        "surgeon": surgeon,
    }
    row.consent = _consent(raw.get("consent_given_at", ""), raw.get("consent_method", ""), tz)
    row.kept = tuple(name for name in OPTIONAL_FIELDS if not raw.get(name))


def _key(value: object) -> object:
    # Related rows by id, so comparing a row with what is on file costs no queries.
    return value.pk if isinstance(value, CareTeam | User) else value


def _changes(row: Row, patient: Patient, surgery: Surgery | None) -> list[str]:
    on_file = {"care_team": patient.care_team_id}
    changed = [
        name
        for name in PATIENT_FIELDS
        if name not in row.kept
        and on_file.get(name, getattr(patient, name)) != _key(row.patient[name])
    ]
    if patient.consented_at is None and row.consent is not None:
        changed.append("consent")
    if surgery is None:
        return [*changed, "surgery"]
    on_file = {"surgeon": surgery.surgeon_id}
    return changed + [
        name
        for name in SURGERY_FIELDS
        if on_file.get(name, getattr(surgery, name)) != _key(row.surgery[name])
    ]


def _on_file(mrn: str, found: list[Patient]) -> Patient | None:
    """The patient on file under `mrn`: the exact match, else the one match in another case.
    Two in other cases and none exact (ABC123 and abc123, for Abc123) cannot be told apart."""
    exact = [patient for patient in found if patient.mrn == mrn]
    if exact:
        return exact[0]
    if len(found) > 1:
        raise ValidationError(f"MRN {mrn} matches {len(found)} patients on file in other cases")
    return found[0] if found else None


def check(text: str, teams: QuerySet[CareTeam], max_rows: int | None = None) -> list[Row]:
    """Every row of the file checked against `teams` (the importing user's) and what is on file;
    a file of more than `max_rows` rows is a BadFile."""
    raws = read(text)
    if max_rows is not None and len(raws) > max_rows:
        raise BadFile(
            f"The file has {len(raws):,} rows; this page imports up to {max_rows:,} at a time. "
            "Split it, or import it with manage.py import_patients."
        )
    if Protocol.objects.default() is None:
        # Checked before anything is read as ready: saving would fail on the first new patient.
        raise BadFile(NO_DEFAULT)
    by_name = {team.name.casefold(): team for team in teams}
    usernames = {raw.get("surgeon_username", "").casefold() for raw in raws}
    # Surgeons of the importing user's teams, as the enrollment form offers them.
    surgeons = {
        user.username.casefold(): (user, {team.pk for team in user.care_teams.all()})
        for user in User.objects.filter(
            is_active=True,
            role=User.Role.SURGEON,
            care_teams__in=teams,
            username__in=usernames - {""},
        )
        .distinct()
        .prefetch_related("care_teams")
    }
    # MRNs match whatever their case, as the enrollment form matches them.
    mrns = {raw.get("mrn", "").upper() for raw in raws}
    on_file: dict[str, list[Patient]] = {}
    for patient in (
        Patient.objects.annotate(key=Upper("mrn"))
        .filter(key__in=mrns)
        .prefetch_related("surgeries")
    ):
        on_file.setdefault(patient.mrn.upper(), []).append(patient)
    rows, seen = [], set()
    for number, raw in enumerate(raws, start=2):
        mrn = raw.get("mrn", "")
        row = Row(number, mrn[:MRN_CHARS])
        rows.append(row)
        try:
            if len(mrn) > MRN_CHARS:
                raise ValidationError(f"MRN longer than {MRN_CHARS} characters")
            if mrn.upper() in seen:
                raise ValidationError(f"MRN {row.mrn} appears twice in the file")
            seen.add(mrn.upper())
            existing = _on_file(mrn, on_file.get(mrn.upper(), []))
            _clean(raw, by_name, surgeons, row, existing.time_zone if existing else "")
            if existing is not None:
                if existing.care_team_id not in {team.pk for team in by_name.values()}:
                    raise ValidationError(f"MRN {row.mrn} is on file outside your teams")
                latest = max(existing.surgeries.all(), key=lambda s: (s.date, s.pk), default=None)
                changed = _changes(row, existing, latest)
                row.existing = existing
                row.outcome = CHANGED if changed else SAME
                row.reason = f"differs in {', '.join(changed)}" if changed else "already on file"
        except ValidationError as error:
            row.outcome, row.reason = INVALID, "; ".join(error.messages)
    return rows


def _create(row: Row, by: User | None, origin: audit.Origin | None) -> Patient:
    patient = Patient(mrn=row.mrn, **row.patient)
    if row.consent is not None:
        patient.consented_at = row.consent[0]
    patient.save()
    procedure = row.surgery["procedure"]
    surgery = Surgery.objects.create(
        patient=patient,
        approach=APPROACHES.get(procedure, Surgery.Approach.POSTERIOR),
        levels="",
        **row.surgery,
    )
    if row.consent is None:
        # As on the enrollment form; consent comes from the patient's page or a later file.
        scheduling.enroll_paused(patient, surgery)
        return patient
    consent.audit_written_consent(patient, *row.consent, by, origin)
    scheduling.enroll(patient, surgery)
    return patient


def _update(row: Row, patient: Patient, by: User | None, origin: audit.Origin | None) -> Patient:
    for name, value in row.patient.items():
        if name not in row.kept:
            setattr(patient, name, value)
    patient.save()
    surgery = patient.surgeries.order_by("-date", "-pk").first()
    if surgery is not None:
        for name, value in row.surgery.items():
            setattr(surgery, name, value)
        surgery.save()
    # New dates or a new time zone move the check-ins not sent yet.
    scheduling.replan_after_change(patient.enrollments.filter(status=Enrollment.Status.ACTIVE))
    if row.consent is not None:
        # Consent now on file for one enrolled without it: her follow-up starts.
        consent.record_written_consent(patient, *row.consent, by, origin)
    return patient


@transaction.atomic
def save(
    rows: Iterable[Row],
    by: User | None,
    skip_invalid: bool,
    update: bool,
    origin: audit.Origin | None = None,
) -> Result:
    """Enroll new patients and (with `update`) update changed ones; nothing if a row is invalid,
    unless `skip_invalid`."""
    rows = list(rows)
    result = Result()
    if any(row.outcome == INVALID for row in rows) and not skip_invalid:
        result.skipped = len(rows)
        return result
    for row in rows:
        if row.outcome == NEW:
            result.created.append(_create(row, by, origin).pk)
        elif row.outcome == CHANGED and update and row.existing is not None:
            result.updated.append(_update(row, row.existing, by, origin).pk)
        elif row.outcome == SAME:
            result.unchanged += 1
        else:
            result.skipped += 1
    result.saved = True
    audit.record(
        by,
        audit.IMPORT_PATIENTS,
        patients=result.created + result.updated,
        detail=f"{len(result.created)} new, {len(result.updated)} updated",
        origin=origin,
    )
    return result
