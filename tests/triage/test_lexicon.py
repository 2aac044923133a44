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


def _foreign_syntax(phrase):
    # The phrase syntax is (a|b) and [optional] (concepts.py); a regex mark such as "( ...)?"
    # or "*" is read as a literal word, so the phrase never matches.
    return any(mark in phrase for mark in (")?", "]?", "*", "+?", "\\")) or phrase.count(
        "("
    ) != phrase.count(")")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_phrase_uses_the_phrase_syntax(table):
    foreign = {
        cls: [p for p in phrases if _foreign_syntax(p)] for cls, phrases in TABLES[table].items()
    }
    assert {cls: f for cls, f in foreign.items() if f} == {}


def test_the_syntax_check_would_catch_a_regex_group():
    assert _foreign_syntax("(siento que )?no vacio") and not _foreign_syntax("[siento que] no")
