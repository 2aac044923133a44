"""Replies per second through the triage_replies logic on one core: python -m triage.bench."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from triage.cli import run

_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = (
    _ROOT / "tests" / "triage" / "cases.jsonl",
    _ROOT.parent / "shared" / "corpus" / "dev.jsonl",
)
_PREFIXES = ("", "hi ", "ok so ", "um ", "Hello nurse, ", "")
_SUFFIXES = ("", " thanks", ".", " today", "!!", " gracias")


def replies(paths: Sequence[Path], count: int) -> list[str]:
    """`count` JSON lines built from the labelled files, varied so no two runs repeat."""
    base: list[dict[str, object]] = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                base.extend(json.loads(line) for line in fh if line.strip())
    if not base:
        base = [{"text": "my left foot is numb and i cant pee", "question": "general"}]
    out: list[str] = []
    i = 0
    while len(out) < count:
        item = dict(base[i % len(base)])
        variant = i // len(base)
        item["text"] = (
            f"{_PREFIXES[variant % len(_PREFIXES)]}{item['text']}"
            f"{_SUFFIXES[(variant // len(_PREFIXES)) % len(_SUFFIXES)]}"
        )
        item["id"] = f"bench-{i}"
        out.append(json.dumps(item))
        i += 1
    return out


def bench(lines: list[str]) -> float:
    """Replies per second for one pass over `lines`."""
    started = time.perf_counter()
    for _ in run(lines):
        pass
    return len(lines) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    """Print replies per second over --count varied replies from the given corpora."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    lines = replies(args.files, args.count)
    rate = bench(lines)
    print(f"{len(lines)} replies in one process: {rate:,.0f} replies/s")


if __name__ == "__main__":
    main()
