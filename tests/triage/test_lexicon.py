"""The phrase lists hold each phrase once per class."""

from collections import Counter

import pytest

from triage.cues import CUES
from triage.lexicon import CLASSES, NET_CLASSES

TABLES = {"CLASSES": CLASSES, "NET_CLASSES": NET_CLASSES, "CUES": CUES}


def _repeats(phrases):
    # Case and spacing never change a match. Spellings that normalize.py makes one word
    # ("can't", "cannot") stay listed apart: spelling.py learns its typo words from them.
    counts = Counter(" ".join(p.lower().split()) for p in phrases)
    return sorted(p for p, n in counts.items() if n > 1)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_class_holds_the_same_phrase_twice(table):
    repeats = {cls: _repeats(phrases) for cls, phrases in TABLES[table].items()}
    assert {cls: r for cls, r in repeats.items() if r} == {}


def test_the_check_would_catch_a_repeat():
    assert _repeats(("pus", "oozing pus", "Pus ", "leaking  pee", "leaking pee")) == [
        "leaking pee",
        "pus",
    ]
