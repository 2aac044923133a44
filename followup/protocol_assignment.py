"""Putting several patients on one protocol version at once, from the patient list."""

import dataclasses
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from followup import audit
from followup.models import Enrollment, Patient, Protocol, User
from followup.scheduling import replan_checkins

FOLLOWING = [Enrollment.Status.ACTIVE, Enrollment.Status.PAUSED]
# A page of the patient list holds 50; more in one post is not a person ticking boxes.
MAX_PATIENTS = 200


@dataclasses.dataclass(frozen=True)
class Assignment:
    moved: int
    already: int  # on that version before
    not_enrolled: int  # no active or paused enrollment to move
    ignored: int  # not patients of the user's teams

    def summary(self, protocol: Protocol) -> str:
        parts = [f"Moved {_patients(self.moved)} to {protocol.name} version {protocol.version}"]
        if self.already:
            parts.append(f"{_patients(self.already)} already on it")
        if self.not_enrolled:
            parts.append(f"{_patients(self.not_enrolled)} not enrolled")
        if self.ignored:
            parts.append(f"{_patients(self.ignored)} not in your teams ignored")
        return "; ".join(parts) + "."


def _patients(count: int) -> str:
    return f"{count} patient{'s' if count != 1 else ''}"


class PatientIdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            ids = sorted({int(v) for v in value or []})
        except (TypeError, ValueError):
            raise ValidationError("Tick patients in the list.") from None
        if not ids:
            raise ValidationError("Tick at least one patient.")
        if len(ids) > MAX_PATIENTS:
            raise ValidationError(f"Tick at most {MAX_PATIENTS} patients at a time.")
        return ids


def _version_label(protocol: Protocol) -> str:
    return f"{protocol.name} · version {protocol.version}"


class AssignForm(forms.Form):
    protocol = forms.ModelChoiceField(queryset=Protocol.objects.none(), label="Protocol version")
    patients = PatientIdsField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Newest first within a name: the version people usually want is on top.
        choices = Protocol.objects.for_user(user).order_by("name", "-version")
        self.fields["protocol"].queryset = choices  # type: ignore[attr-defined]
        self.fields["protocol"].label_from_instance = _version_label  # type: ignore[attr-defined]


@transaction.atomic
def assign_protocol(
    patient_ids: Iterable[int], protocol: Protocol, by: User, origin: audit.Origin | None = None
) -> Assignment:
    """Put each patient's current enrollment on `protocol`; re-plan its unsent check-ins.

    Patients outside `by`'s teams are counted and left alone.
    """
    if not Protocol.objects.for_user(by).filter(pk=protocol.pk).exists():
        # The form offers only these; a caller elsewhere must not reach another team's protocol.
        raise PermissionDenied("Not a protocol of your teams.")
    ids = set(patient_ids)
    visible = set(Patient.objects.for_user(by).filter(pk__in=ids).values_list("pk", flat=True))
    # Locked so a pause or withdrawal at the same moment waits rather than being re-planned over.
    enrollments = (
        Enrollment.objects.for_user(by)
        .select_for_update(of=("self",))
        .filter(patient__in=visible, status__in=FOLLOWING)
        .select_related("protocol", "patient", "surgery")
        .order_by("patient_id", "-enrolled_at", "-pk")
    )
    current: dict[int, Enrollment] = {}
    for enrollment in enrollments:
        current.setdefault(enrollment.patient_id, enrollment)
    moved = already = 0
    for enrollment in current.values():
        if enrollment.protocol_id == protocol.pk:
            already += 1
            continue
        old = enrollment.protocol
        enrollment.protocol = protocol
        enrollment.save(update_fields=["protocol"])
        # A paused enrollment only loses its unsent check-ins; resuming plans the new version.
        replan_checkins(enrollment)
        detail = f"{old.name} v{old.version} -> {protocol.name} v{protocol.version}"
        audit.record(by, audit.ASSIGN_PROTOCOL, enrollment.patient, detail, origin=origin)
        moved += 1
    return Assignment(moved, already, len(visible) - len(current), len(ids) - len(visible))
