"""Every one-letter slip in every typo target: corrected back, left alone, or sent to a nurse."""

import string
from collections import defaultdict

import pytest

from triage import Severity, evaluate
from triage.normalize import correct, tokenize
from triage.spelling import CANONICAL, FUZZY_PROTECTED, FUZZY_TARGETS
from triage.typos import MIN_LENGTH, meaning, nearest

BY_LETTER: dict[str, list[str]] = defaultdict(list)
for _target in FUZZY_TARGETS:
    BY_LETTER[_target[0]].append(_target)


def one_edit_typos(word: str) -> set[str]:
    """Each slip one edit from word: a letter dropped, added or changed, or two letters swapped."""
    out = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        out.update(head + c + tail for c in string.ascii_lowercase)
        if tail:
            out.add(head + tail[1:])
            out.update(head + c + tail[1:] for c in string.ascii_lowercase)
        if len(tail) > 1:
            out.add(head + tail[1] + tail[0] + tail[2:])
    out.discard(word)
    return out


def test_typos_include_every_kind_of_slip_and_the_first_letter():
    typos = one_edit_typos("numb")
    assert {"umb", "mumb", "xnumb", "unmb", "nmb", "nub", "numbs", "nuvb", "nubm"} <= typos
    assert "numb" not in typos


def _problem(target: str, typo: str) -> str | None:
    meant = CANONICAL.get(target, target)
    got = correct(typo)
    if len(got) == 1 and meaning(got[0]) == meaning(meant):
        return None  # the word, or one the rules read the same ("neighbor" for "neighbour")
    if len(typo) < MIN_LENGTH or typo in CANONICAL or typo in FUZZY_PROTECTED:
        # Too short to guess, a spelling the curated list maps, or a real word: left as typed
        # (or as the curated list says), never guessed at.
        return None if got == (CANONICAL.get(typo, typo),) else f"{typo} -> {got}"
    if len(got) > 1 and meaning(meant) in {meaning(g) for g in got}:
        return None  # a tie between words that mean different things: read both ways
    return f"{typo} -> {got}, meant {meant}"


@pytest.mark.parametrize("letter", sorted(BY_LETTER))
def test_every_one_edit_typo_corrects_back_is_left_alone_or_is_a_tie(letter):
    problems = [
        problem
        for target in BY_LETTER[letter]
        for typo in sorted(one_edit_typos(target))
        if (problem := _problem(target, typo)) is not None
    ]
    assert not problems, problems[:20]


def test_every_target_means_something_to_the_rules():
    # Else "read the same as the target" above would hold for any unknown word.
    assert [t for t in FUZZY_TARGETS if not meaning(CANONICAL.get(t, t))] == []


def test_every_target_reads_as_itself():
    assert [t for t in FUZZY_TARGETS if correct(t) != (CANONICAL.get(t, t),)] == []


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        # Nearest, not first in the alphabet: one edit from "entumecida", two from "enrojecida".
        ("enrumecida", "entumecida"),
        ("hormigeo", "hormigueo"),
        ("tinglign", "tingling"),
        ("nmubness", "numbness"),
        # Slips in the first letter.
        ("umbness", "numbness"),
        ("rumbness", "numbness"),
        ("tnigling", "tingling"),
        ("ingling", "tingling"),
        ("wweakness", "weakness"),
        ("ncision", "incision"),
    ],
)
def test_a_typo_reads_as_its_nearest_word(typed, word):
    assert [t.word for t in tokenize(typed)] == [word]


def test_a_tie_between_words_that_mean_different_things_keeps_both():
    assert nearest("gasing") == ("gaping", "gasping")
    # "neighbor" and "neighbour" mean the same to the rules: the first is as good as the other.
    assert nearest("neighboar") == ("neighbor",)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("tengo la pierna derecha entomecida", ["numbness"]),
        ("tengo la pierna derecha enrumecida", ["numbness"]),
        ("my right leg is entomecida", ["numbness"]),
        ("umbness in both feet", ["numbness"]),
    ],
)
def test_the_nearest_reading_finds_the_symptom(text, codes):
    a = evaluate(text)
    assert a.codes == codes
    assert a.severity >= Severity.URGENT


@pytest.mark.parametrize(
    ("text", "typed", "codes"),
    [
        # "gasing": a gaping incision (wound) or gasping for breath.
        ("my incision is gasing", "gasing", {"wound", "breathing"}),
        ("cant stop gasing", "gasing", {"breathing"}),
        # Dropping things (weak grip) or dripping.
        ("i keep drapping things", "drapping", {"weakness"}),
        # "se me escapó" (leaking urine) or "escupo" (spitting).
        ("se me escfpo la orina", "escfpo", {"bladder"}),
        # Spitting blood or a splitting wound.
        ("spgitting blood this morning", "spgitting", {"breathing"}),
    ],
)
def test_a_tie_that_changes_the_findings_goes_to_a_nurse(text, typed, codes):
    a = evaluate(text)
    assert a.needs_review
    assert set(a.codes) >= codes
    assert any(typed in e for e in a.evidence.values())


def test_a_tie_in_a_denied_symptom_stays_calm():
    a = evaluate("no gasing at all")
    assert a.codes == []
    assert not a.needs_review
