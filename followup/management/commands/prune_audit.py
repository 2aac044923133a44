"""Delete audit events past retention: `manage.py prune_audit [--now ISO-TIME]`."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from followup import audit
from followup.management.commands.send_due_checkins import aware_datetime
from followup.models import AuditEvent


def _set_prune(value: str) -> None:
    with connection.cursor() as cursor:
        # set_config(..., true) is SET LOCAL: it ends with the transaction at the latest.
        cursor.execute("SELECT set_config('followup.audit_prune', %s, true)", [value])


def prune(now: dt.datetime) -> int:
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgresql:
            # The append-only trigger lets deletes through only while this is on.
            _set_prune("on")
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        if postgresql:
            # Inside a caller's transaction SET LOCAL would outlive this block: end it here.
            _set_prune("off")
        audit.record(None, audit.PRUNE_AUDIT, detail=f"{deleted} older than {cutoff:%Y-%m-%d}")
    return deleted


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (as of --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="run as of this ISO time, with a time zone")

    def handle(self, *args: object, **options: str | None) -> None:
        given = options["now"]
        now = aware_datetime(given) if given is not None else timezone.now()
        deleted = prune(now)
        self.stdout.write(f"Deleted {deleted} audit event{'s' if deleted != 1 else ''}.")
