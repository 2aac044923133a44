"""Replies per second through the triage_replies logic on one core, and the time of one reply as
replies grow ten and a hundred times longer: python -m triage.bench."""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

from triage.model import MAX_TRIAGE_CHARS
from triage.parser import evaluate
from triage.tools.cli import run

_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILES = (
    _ROOT / "tests" / "triage" / "cases.jsonl",
    _ROOT.parent / "shared" / "corpus" / "dev.jsonl",
)
_PREFIXES = ("", "hi ", "ok so ", "um ", "Hello nurse, ", "")
_SUFFIXES = ("", " thanks", ".", " today", "!!", " gracias")


# Reply lengths timed: a base length, ten and a hundred times it (Twilio's longest body), and
# ten times that again, which triage cuts to MAX_TRIAGE_CHARS.
LENGTHS = (16, 160, 1_600, 16_000)


def _labelled(paths: Sequence[Path]) -> list[dict[str, object]]:
    base: list[dict[str, object]] = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                base.extend(json.loads(line) for line in fh if line.strip())
    return base or [{"text": "my left foot is numb and i cant pee", "question": "general"}]


def replies(paths: Sequence[Path], count: int) -> list[str]:
    """`count` JSON lines built from the labelled files, varied so no two runs repeat."""
    base = _labelled(paths)
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


def sized(paths: Sequence[Path], length: int, count: int) -> list[str]:
    """`count` replies of about `length` characters: labelled replies run together, in varied
    order, and cut between words."""
    texts = [str(item["text"]) for item in _labelled(paths)]
    rng = random.Random(length)  # noqa: S311 - varied sample text, not a secret
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < length:
            parts.append(rng.choice(texts))
            size += len(parts[-1]) + 2
        text = ". ".join(parts)
        out.append(text[:length].rsplit(" ", 1)[0] if len(text) > length else text)
    return out


def seconds_per_reply(texts: list[str]) -> float:
    """Mean seconds to triage one of `texts`, best of three passes."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            evaluate(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """Print replies per second over --count varied replies from the given corpora, then the
    time of one reply at each of LENGTHS."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    lines = replies(args.files, args.count)
    rate = bench(lines)
    print(f"{len(lines)} replies in one process: {rate:,.0f} replies/s")
    print(f"one reply by length (triage reads at most {MAX_TRIAGE_CHARS:,} characters):")
    base: float | None = None
    for length in LENGTHS:
        texts = sized(args.files, length, max(20, 32_000 // length))
        took = seconds_per_reply(texts)
        base = base or took
        mean = sum(map(len, texts)) / len(texts)
        print(
            f"  {length:>7,} chars (mean {mean:>7,.0f}): {took * 1e6:>9,.0f} us per reply"
            f"  x{took / base:,.1f}"
        )


if __name__ == "__main__":
    main()
