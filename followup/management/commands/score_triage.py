"""Score triage against a labelled JSON-lines corpus: per-code precision, recall, safety rates."""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage.tools.scoring import report, score, shortfalls


def default_corpus() -> Path:
    """TRIAGE_CORPUS, else ../shared/corpus/dev.jsonl beside the project root."""
    env = os.environ.get("TRIAGE_CORPUS", "")
    if env:
        return Path(env)
    return Path(settings.BASE_DIR).parent / "shared" / "corpus" / "dev.jsonl"


class Command(BaseCommand):
    help = (
        "Run triage over a labelled corpus (LABELING.md format) and print escalation recall, "
        "emergency recall, false-alarm rate, severity accuracy and per-code precision/recall."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file", nargs="?", help="labelled JSONL (default: $TRIAGE_CORPUS or ../shared/corpus)"
        )
        parser.add_argument(
            "--by-group", action="store_true", help="also score each language x channel"
        )
        parser.add_argument("--misses", action="store_true", help="list items whose output differs")
        parser.add_argument(
            "--check", action="store_true", help="exit 1 when a safety target is missed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else default_corpus()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"cannot read {path}: it is not UTF-8 text") from None
        try:
            result = score(lines)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(f"{path}")
        self.stdout.write(
            report(result, by_group=options["by_group"], show_misses=options["misses"])
        )
        missed = shortfalls(result.overall)
        if options["check"] and missed:
            raise CommandError("targets missed: " + "; ".join(missed))
