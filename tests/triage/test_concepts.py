"""The red-flag vocabulary by body function (triage/concepts.py) and how it reaches the rules."""

from collections import Counter

import pytest

import triage
from triage.concepts import AMBIGUOUS, CONCEPTS, LANGS
from triage.lexicon import CLASSES, NET_CLASSES

FUNCTIONS = {
    "urination", "bowels", "saddle sensation", "leg strength", "leg sensation", "temperature",
    "breathing", "swallowing", "wound", "mood and self-harm", "falls",
}  # fmt: skip
TABLES = {**CLASSES, **NET_CLASSES}


def _norm(phrase):
    return " ".join(phrase.lower().split())


def test_every_body_function_the_rules_watch_has_a_concept():
    assert set(CONCEPTS) >= FUNCTIONS


@pytest.mark.parametrize("name", sorted(CONCEPTS))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_concept_speaks_both_languages(name, lang):
    concept = CONCEPTS[name]
    assert concept.area.get(lang), (name, lang, "area")
    assert concept.signs.get(lang), (name, lang, "signs")


@pytest.mark.parametrize("name", sorted(CONCEPTS))
def test_no_phrase_is_listed_twice_within_a_concept(name):
    counts = Counter(_norm(p) for lang in LANGS for p in CONCEPTS[name].phrases(lang))
    assert [p for p, n in counts.items() if n > 1] == []


def test_a_phrase_in_two_concepts_is_declared_ambiguous():
    owners: dict[str, set[str]] = {}
    for name, concept in CONCEPTS.items():
        for lang in LANGS:
            for phrase in concept.phrases(lang):
                owners.setdefault(_norm(phrase), set()).add(name)
    shared = {p for p, names in owners.items() if len(names) > 1}
    assert shared <= set(AMBIGUOUS), shared - set(AMBIGUOUS)


@pytest.mark.parametrize("name", sorted(CONCEPTS))
def test_each_phrase_reaches_the_classes_the_rules_read(name):
    concept = CONCEPTS[name]
    for lang in LANGS:
        targets = [(cls, concept.area.get(lang, ())) for cls in concept.area_classes]
        targets.append((concept.sign_class, concept.signs.get(lang, ())))
        if concept.hint_class:
            targets.append((concept.hint_class, concept.hints.get(lang, ())))
        for cls, phrases in targets:
            have = {_norm(p) for p in TABLES[cls]}
            assert {_norm(p) for p in phrases} <= have, (name, cls)


def test_one_area_word_serves_both_the_specific_rules_and_the_net():
    # "water" as in "pass water" is an area word of urination: the retention rule reads it
    # ("can't pass water"), and the net reads an unexplained change to it.
    assert triage.evaluate("i cant pass water").findings[0].code == "bladder"
    hint = triage.evaluate("something is off with my waterworks")
    assert hint.needs_review and hint.findings[0].rule == "net.bladder"


@pytest.mark.parametrize(("phrase", "codes"), sorted(AMBIGUOUS.items()))
def test_an_ambiguous_phrase_goes_to_a_nurse_with_the_likeliest_code(phrase, codes):
    a = triage.evaluate(f"{phrase} since yesterday", question="general")
    assert a.needs_review, phrase
    assert a.findings[0].code in codes


def test_an_ambiguous_phrase_about_going_somewhere_is_quiet():
    assert triage.evaluate("i cant go to PT this week, no ride").findings == ()
