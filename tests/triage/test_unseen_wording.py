"""Wording found in a second author's replies, written here in phrasings of our own.

Each class is a way people say a red flag that the rules missed; the controls next to them are
what must stay quiet.
"""

import pytest

import triage

CASES = [
    # Suicidal talk told by its means or by being better off dead, not by the usual words.
    (
        "general",
        "en",
        "i keep staring at the pill bottle thinking about swallowing them all",
        "emergency",
        "self_harm",
    ),
    (
        "general",
        "en",
        "some nights i think i might just take the whole bottle",
        "emergency",
        "self_harm",
    ),
    ("general", "en", "honestly everyone would say im better off dying", "emergency", "self_harm"),
    ("general", "es", "hay dias que pienso que mejor me muero", "emergency", "self_harm"),
    ("general", "es", "estaria mejor muerta, la verdad", "emergency", "self_harm"),
    # A fall told as being knocked over.
    ("general", "en", "the grandkids dog knocked me down on the porch", "urgent", "fall"),
    ("general", "en", "i got knocked over by a shopping cart at the store", "urgent", "fall"),
    # Fever told by clammy skin.
    ("general", "en", "im all clammy and shaky tonight", "urgent", "fever"),
]

CONTROLS = [
    ("general", "en", "i drank the whole bottle of water and feel great"),
    ("general", "en", "the glass got knocked over at dinner, what a mess"),
]


@pytest.mark.parametrize(("question", "lang", "text", "severity", "code"), CASES)
def test_unseen_wording_raises_the_red_flag(question, lang, text, severity, code):
    assessment = triage.evaluate(text, question=question, lang=lang, channel="sms")
    assert assessment.severity.name.lower() == severity, text
    assert code in [finding.code for finding in assessment.findings], text
    # The words that made it fire are recorded.
    assert assessment.to_dict()["evidence"][code]


@pytest.mark.parametrize(("question", "lang", "text"), CONTROLS)
def test_the_same_words_about_something_else_stay_quiet(question, lang, text):
    assessment = triage.evaluate(text, question=question, lang=lang, channel="sms")
    assert assessment.severity == triage.Severity.NONE, text
    assert not assessment.findings, text
