"""Anonymise records past DATA_RETENTION_DAYS: `manage.py purge_expired [--dry-run]`."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from followup import retention
from followup.management.commands.send_due_checkins import aware_datetime


def batch_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= size <= retention.MAX_BATCH:
        raise argparse.ArgumentTypeError(f"{size}: use 1 to {retention.MAX_BATCH}")
    return size


class Command(BaseCommand):
    help = (
        "Anonymise patients whose follow-up ended more than DATA_RETENTION_DAYS ago and delete "
        "unmatched messages as old; audit events are kept (see prune_audit)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change; change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=batch_size,
            default=retention.DEFAULT_BATCH,
            help=f"patients (or messages) per transaction, 1 to {retention.MAX_BATCH}",
        )
        parser.add_argument("--now", help="run as of this ISO time, with a time zone")

    def handle(self, *args: object, **options: Any) -> None:
        given = options["now"]
        # A dry run only counts: it may look ahead.
        future = bool(options["dry_run"])
        now = aware_datetime(given, future=future) if given is not None else timezone.now()
        batch: int = options["batch_size"]
        try:
            since = retention.cutoff(now)
            if options["dry_run"]:
                counts = retention.preview(now)
                self.stdout.write(
                    f"Dry run, nothing was changed. Past retention (nothing since "
                    f"{since:%Y-%m-%d}), rows a purge would anonymise or delete:"
                )
            else:
                counts = retention.purge(now, batch, progress=self.stdout.write)
                self.stdout.write(
                    f"Purged what was past retention (nothing since {since:%Y-%m-%d}), "
                    "rows anonymised or deleted:"
                )
        except retention.RetentionError as error:
            raise CommandError(str(error)) from None
        for kind in retention.KINDS:
            self.stdout.write(f"  {kind}: {counts[kind]}")
