"""Care items: follow-up work for the care team that is not a red flag."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import CareItem, Patient, User


def raise_care_item(
    patient: Patient, kind: str, detail: str = "", urgent: bool = False
) -> CareItem:
    """Open an item of this kind for the patient, or update the open one (never a duplicate)."""
    try:
        with transaction.atomic():
            return CareItem.objects.create(patient=patient, kind=kind, detail=detail, urgent=urgent)
    except IntegrityError:
        item = CareItem.objects.get(patient=patient, kind=kind, done_at=None)
        item.detail = detail or item.detail
        item.urgent = item.urgent or urgent
        item.save(update_fields=["detail", "urgent"])
        return item


def complete_care_item(item_id: int, user: User) -> int:
    return CareItem.objects.filter(pk=item_id, done_at=None).update(
        done_at=timezone.now(), done_by=user
    )
