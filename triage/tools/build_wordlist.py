"""Rebuild triage/wordlist.py from dictionary files: python -m triage.tools.build_wordlist FILES."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from triage.normalize import fold
from triage.spelling import FUZZY_TARGETS
from triage.typos import MIN_LENGTH, nearest

WORDLIST = Path(__file__).resolve().parents[1] / "wordlist.py"


def collisions(dictionary: Iterable[str]) -> list[str]:
    """Dictionary words, not typo targets themselves, that typo correction could reach."""
    targets = set(FUZZY_TARGETS)
    found: set[str] = set()
    for line in dictionary:
        word = line.strip()
        if not word.islower():
            continue  # proper nouns
        # Replies are folded ("inflamación" -> "inflamacion") and "ñ" read as "n" before correction.
        word = fold(word).replace("ñ", "n")
        if len(word) < MIN_LENGTH or not (word.isalpha() and word.isascii()):
            continue
        if word not in targets and nearest(word):
            found.add(word)
    return sorted(found)


def main(paths: Sequence[str]) -> None:
    """Print triage/wordlist.py with its word list recomputed from dictionary files."""
    words: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8", errors="ignore") as fh:
            words.extend(collisions(fh))
    with WORDLIST.open(encoding="utf-8") as fh:
        source = fh.read()
    body = textwrap.fill(" ".join(sorted(set(words))), width=96)
    start = source.index('_TEXT = """\n') + 12
    end = source.index('\n"""\nREAL_WORDS')
    sys.stdout.write(source[:start] + body + source[end:])


if __name__ == "__main__":
    main(sys.argv[1:])
