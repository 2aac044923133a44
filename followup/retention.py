"""Data past DATA_RETENTION_DAYS: old follow-ups are anonymised, unmatched messages deleted.

A patient is anonymised rather than deleted. The team reports count enrollments, check-ins,
answers, escalations with their findings, outcomes and times over any period
(followup/reports.py), and audit events name patients by id: deleting would rewrite past
figures and leave the audit trail pointing at nothing. Anonymising keeps the rows and what
reports read (dates, statuses, codes, severities, outcomes, the care team) and removes what
names the person or what anyone wrote: name, date of birth, MRN, phone numbers, caregiver,
every message body and number, photo links, call transcripts, triage evidence (the patient's
words), staff notes, outcome notes, care item details and the pages about them.

Past retention means: no enrollment that may still run (active or paused), no escalation still
open or acknowledged, and nothing on the record (created, consented, opted out, a surgery date,
enrolled, a check-in due, sent or closed, a message either way, an escalation opened,
acknowledged or resolved, a note, a care item) within the period. The last thing that happened
stands in for the end of the follow-up, which is never later, so the rule errs on keeping.

Messages that belong to no patient (from numbers that matched none or several, clinicians'
replies to pages, and what was sent back to such numbers) count in no report: past the period
they are deleted. Audit events are kept for their own period (prune_audit); a purge adds one.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from followup import audit
from followup.models import (
    Answer,
    CareItem,
    CheckIn,
    Enrollment,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    StaffNote,
    Surgery,
)

ANONYMISED_NAME = "Anonymised"
ANONYMISED_BIRTH_DATE = dt.date(1900, 1, 1)
DEFAULT_BATCH = 200
MAX_BATCH = 5000

# The kinds of row a purge changes, in the order they are reported.
KINDS = (
    "patients",
    "inbound messages",
    "outbound messages",
    "pages",
    "answers",
    "escalations",
    "escalation events",
    "staff notes",
    "care items",
    "unmatched inbound deleted",
    "unmatched outbound deleted",
)


class RetentionError(ValueError):
    """A purge that would be unsafe or cannot run as asked."""


def cutoff(now: dt.datetime) -> dt.datetime:
    """Records with nothing since this moment are past retention."""
    days = settings.DATA_RETENTION_DAYS
    if days < settings.DATA_RETENTION_MIN_DAYS:
        # Settings refuse this at start-up; an override (a test, a shell) must not slip past.
        raise RetentionError(
            f"DATA_RETENTION_DAYS={days} is below the minimum of {settings.DATA_RETENTION_MIN_DAYS}"
        )
    return now - dt.timedelta(days=days)


def _since(since: dt.datetime, *fields: str) -> Q:
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__gte": since})
    return q


def expired_patients(since: dt.datetime) -> QuerySet[Patient]:
    """Patients whose follow-up is over with nothing on record since `since`, to anonymise."""
    mine = {"patient": OuterRef("pk")}
    still_running = [
        Exists(
            Enrollment.objects.filter(
                status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.PAUSED], **mine
            )
        ),
        Exists(Escalation.objects.filter(**mine).exclude(status=Escalation.Status.RESOLVED)),
    ]
    recent = [
        Exists(Surgery.objects.filter(date__gte=since.date(), **mine)),
        Exists(Enrollment.objects.filter(enrolled_at__gte=since, **mine)),
        Exists(
            CheckIn.objects.filter(
                _since(since, "due_at", "sent_at", "closed_at"), enrollment__patient=OuterRef("pk")
            )
        ),
        Exists(InboundMessage.objects.filter(received_at__gte=since, **mine)),
        Exists(OutboundMessage.objects.filter(_since(since, "created_at", "sent_at"), **mine)),
        Exists(
            Escalation.objects.filter(
                _since(since, "opened_at", "acknowledged_at", "resolved_at"), **mine
            )
        ),
        Exists(StaffNote.objects.filter(created_at__gte=since, **mine)),
        Exists(CareItem.objects.filter(_since(since, "created_at", "done_at"), **mine)),
    ]
    # An anonymised record is picked again when words reached it afterwards: a reply whose
    # transaction was still open while its patient's batch ran, or a note added since.
    words_again = Exists(
        InboundMessage.objects.filter(~Q(body="") | ~Q(from_number="") | ~Q(media_urls=[]), **mine)
    ) | Exists(StaffNote.objects.filter(**mine).exclude(text=""))
    patients = Patient.objects.filter(
        Q(anonymised_at=None) | words_again, created_at__lt=since
    ).exclude(_since(since, "consented_at", "sms_opted_out_at"))
    for condition in [*still_running, *recent]:
        patients = patients.exclude(condition)
    return patients


def unmatched_inbound(since: dt.datetime) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(patient=None, received_at__lt=since)


def unmatched_outbound(since: dt.datetime) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(patient=None, escalation=None, created_at__lt=since)


def _changes(
    patients: Iterable[int] | QuerySet[Patient, Any], now: dt.datetime
) -> list[tuple[str, QuerySet[Any], dict[str, Any]]]:
    """Each kind of row about these patients, with what anonymising writes over it."""
    ids = {"patient__in": patients}
    patient_fields = {
        "first_name": ANONYMISED_NAME,
        "last_name": Concat(Value("#"), Cast("pk", output_field=CharField())),
        # Unique, so each record gets its own placeholder.
        "mrn": Concat(Value("anonymised-"), Cast("pk", output_field=CharField())),
        "date_of_birth": ANONYMISED_BIRTH_DATE,
        "phone": "",
        "caregiver_name": "",
        "caregiver_phone": "",
        "search_text": "",
        "anonymised_at": now,
    }
    return [
        ("patients", Patient.objects.filter(pk__in=patients), patient_fields),
        (
            "inbound messages",
            InboundMessage.objects.filter(**ids),
            {
                "from_number": "",
                "body": "",
                "media_urls": [],
                "originals": "",
                "processing_error": "",
            },
        ),
        (
            "outbound messages",
            OutboundMessage.objects.filter(**ids),
            {"to": "", "body": "", "error_message": ""},
        ),
        (
            # Pages to clinicians carry no patient but name one through the escalation; the
            # number they went to is the clinician's.
            "pages",
            OutboundMessage.objects.filter(patient=None, escalation__patient__in=patients),
            {"body": "", "error_message": ""},
        ),
        ("answers", Answer.objects.filter(**ids), {"evidence": {}}),
        ("escalations", Escalation.objects.filter(**ids), {"evidence": {}, "outcome_note": ""}),
        (
            "escalation events",
            EscalationEvent.objects.filter(escalation__patient__in=patients),
            {"note": ""},
        ),
        ("staff notes", StaffNote.objects.filter(**ids), {"text": ""}),
        ("care items", CareItem.objects.filter(**ids), {"detail": ""}),
    ]


def _drop_evidence(messages: QuerySet[InboundMessage]) -> None:
    """Keep what triage found (the dashboard reads it), not the words it quoted."""
    changed = []
    for message in messages.exclude(assessment=None).only("pk", "assessment"):
        if isinstance(message.assessment, dict) and "evidence" in message.assessment:
            message.assessment = {k: v for k, v in message.assessment.items() if k != "evidence"}
            changed.append(message)
    InboundMessage.objects.bulk_update(changed, ["assessment"])


def _anonymise(
    candidates: list[int], since: dt.datetime, now: dt.datetime
) -> tuple[Counter[str], list[int]]:
    counts: Counter[str] = Counter()
    with transaction.atomic():
        # Lock, then look again: the second look sees what was committed since the patients
        # were picked, and a writer's foreign-key check (deferred to its commit) waits for this
        # batch. A reply still uncommitted now keeps its words past the batch; expired_patients
        # picks the record again once it has been quiet for the period.
        locked = list(
            Patient.objects.select_for_update()
            .filter(pk__in=candidates)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ids = list(expired_patients(since).filter(pk__in=locked).values_list("pk", flat=True))
        if not ids:
            return counts, ids
        _drop_evidence(InboundMessage.objects.filter(patient__in=ids))
        # Patients last: the other rows are found through them.
        for kind, rows, fields in reversed(_changes(ids, now)):
            counts[kind] += rows.update(**fields)
    return counts, ids


def _delete_in_batches(rows: QuerySet[Any], model: type[Model], batch: int) -> int:
    deleted = 0
    while True:
        pks = list(rows.order_by("pk").values_list("pk", flat=True)[:batch])
        if not pks:
            return deleted
        with transaction.atomic():
            _, per_model = model._default_manager.filter(pk__in=pks).delete()
        deleted += per_model.get(model._meta.label, 0)


def preview(now: dt.datetime) -> Counter[str]:
    """What `purge` would change as of `now`, counted per kind; changes nothing."""
    since = cutoff(now)
    counts: Counter[str] = Counter()
    expired = expired_patients(since).values("pk")
    for kind, rows, _ in _changes(expired, now):
        counts[kind] = rows.count()
    counts["unmatched inbound deleted"] = unmatched_inbound(since).count()
    counts["unmatched outbound deleted"] = unmatched_outbound(since).count()
    return counts


def purge(
    now: dt.datetime,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[str], None] = lambda line: None,
) -> Counter[str]:
    """Anonymise the patients past retention and delete unmatched messages, `batch` at a time.

    Each batch is its own short transaction, so a large purge never holds locks for long and an
    interruption keeps what was done; running it again finishes the rest and changes nothing
    more once done.
    """
    if not 1 <= batch <= MAX_BATCH:
        raise RetentionError(f"batch size {batch}: use 1 to {MAX_BATCH}")
    since = cutoff(now)
    counts: Counter[str] = Counter()
    anonymised: list[int] = []
    last = 0
    while True:
        # Keyset paging: a patient found active on the second look is passed over, not retried.
        candidates = list(
            expired_patients(since)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not candidates:
            break
        last = candidates[-1]
        done, ids = _anonymise(candidates, since, now)
        counts += done
        anonymised += ids
        progress(f"patients anonymised so far: {counts['patients']}")
    counts["unmatched inbound deleted"] = _delete_in_batches(
        unmatched_inbound(since), InboundMessage, batch
    )
    counts["unmatched outbound deleted"] = _delete_in_batches(
        unmatched_outbound(since), OutboundMessage, batch
    )
    audit.record(
        None,
        audit.PURGE_EXPIRED,
        patients=anonymised,
        detail=f"nothing since {since:%Y-%m-%d}: " + summary(counts),
    )
    return counts


def summary(counts: Counter[str]) -> str:
    return ", ".join(f"{kind} {counts[kind]}" for kind in KINDS)
