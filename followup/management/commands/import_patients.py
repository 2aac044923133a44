"""Import patients from a CSV file (columns: deploy/patients-sample.csv) and enroll them."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup import patient_import
from followup.models import CareTeam, User


class Command(BaseCommand):
    help = (
        "Check every row of a patients CSV, then enroll the new patients. Nothing is saved while "
        "a row is invalid unless --skip-invalid; changed patients are updated only with --update."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; save nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows")
        parser.add_argument("--update", action="store_true", help="Update changed patients")
        parser.add_argument(
            "--user", help="Import as this user: only their care teams (default: every team)"
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        user, teams = None, CareTeam.objects.all()
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']!r}")
            teams = user.care_teams.all()
        try:
            rows = patient_import.check(file.read_text(encoding="utf-8-sig"), teams)
        except (OSError, UnicodeDecodeError, patient_import.BadFile) as error:
            raise CommandError(str(error)) from None
        for row in rows:
            reason = f": {row.reason}" if row.reason else ""
            self.stdout.write(f"row {row.number} {row.mrn or '-'} {row.outcome}{reason}")
        invalid = sum(row.outcome == patient_import.INVALID for row in rows)
        if not options["dry_run"]:
            result = patient_import.save(rows, user, options["skip_invalid"], options["update"])
            if result.saved:
                changed = sum(row.outcome == patient_import.CHANGED for row in rows)
                self.stdout.write(
                    f"{len(result.created)} enrolled, {len(result.updated)} updated, "
                    f"{changed - len(result.updated)} changed not updated (--update), "
                    f"{result.unchanged} unchanged, {invalid} invalid skipped."
                )
            else:
                self.stdout.write("Nothing saved: fix the invalid rows or use --skip-invalid.")
        if invalid:
            # Scripts notice a file that was not imported whole.
            raise CommandError(f"{invalid} invalid row(s)")
