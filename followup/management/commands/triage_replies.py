"""Triage patient replies from JSON lines (a file or stdin) and print one JSON line each."""

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from triage.tools.cli import run

# One encoder for every line: json.dumps with options builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False)


class Command(BaseCommand):
    help = (
        "Read JSON lines ({'text', optional 'id', 'question', 'lang', 'channel'}) from FILE or "
        "stdin; write one JSON line per reply: id, findings, severity, needs_review, pain_score, "
        "evidence, or id and error. Exits 1 when any line was invalid."
    )
    # Pure text processing: no database, so no system checks that might need one.
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="JSON-lines file (default: stdin)")

    def handle(self, *args: Any, **options: Any) -> None:
        source: TextIO
        if options["file"]:
            try:
                source = Path(options["file"]).open(encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        else:
            source = options.get("stdin") or sys.stdin
        invalid = 0
        with source:
            try:
                for out in run(source):
                    invalid += "error" in out
                    self.stdout.write(_JSON.encode(out))
            except UnicodeDecodeError:
                # Read line by line: the lines before it have been answered.
                name = options["file"] or "the input"
                raise CommandError(f"cannot read {name}: it is not UTF-8 text") from None
        if invalid:
            raise CommandError(f"{invalid} invalid line(s)")
