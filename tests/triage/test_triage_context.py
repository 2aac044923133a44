"""Negation, resolution, history, hypotheticals and experiencer, one behaviour per case."""

import pytest

from triage import Severity, evaluate


def codes(text, question="general", lang="en", channel="sms"):
    return evaluate(text, question, lang, channel).codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Inability phrases carry their own "not": they are findings.
        ("can't feel my feet", ["numbness"]),
        ("cannot pee", ["bladder"]),
        ("no puedo orinar", ["bladder"]),
        ("no siento las piernas", ["numbness"]),
        ("I have no feeling in my toes", ["numbness"]),
        ("unable to lift my foot", ["weakness"]),
        # Plain negation in its forms.
        ("no numbness", []),
        ("I don't have any numbness or tingling", []),
        ("dont have numbness", []),
        ("havent had any fever", []),
        ("numbness? no", []),
        ("Numbness yes. Fever no.", ["numbness"]),
        ("no siento hormigueo", []),
        ("sin fiebre ni escalofrios", []),
        # A negation stops at the end of its clause.
        ("no numbness, weak legs", ["weakness"]),
        ("no numbness but my leg feels weak", ["weakness"]),
        ("no fever or numbness and my legs are weak", ["weakness"]),
        ("no my feet are numb", ["numbness"]),
    ],
)
def test_negation_scope(text, expected):
    assert sorted(codes(text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numbness is gone now", []),
        ("the tingling went away", []),
        ("ya se me quito el hormigueo", []),
        ("had a fever yesterday but not today", []),
        ("the tingling won't go away", ["numbness"]),
        ("numbness is not gone", ["numbness"]),
        ("numbness a little better", ["numbness"]),
        ("I can't hold my pee anymore", ["bladder"]),
    ],
)
def test_resolution(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numb toes from before surgery, no worse", []),
        ("my leg was weak before surgery and now its worse", ["weakness"]),
        ("I've had tingling in my feet for years", []),
    ],
)
def test_symptoms_from_before_surgery(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what should I do if my legs go numb?", []),
        ("should I call if I get a fever", []),
        ("is numbness normal after surgery?", []),
        ("is it normal to feel tingling in my foot", ["numbness"]),
        ("when I sit too long my foot goes numb", ["numbness"]),
        ("cant feel the toilet seat when I sit, is that normal?", ["saddle_numbness"]),
        ("que hago si me da fiebre", []),
    ],
)
def test_questions_and_hypotheticals(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my husband has numb hands", []),
        ("my wife says I peed myself", ["bladder"]),
        ("this is his wife, he can't feel his feet", ["numbness"]),
        ("my husband noticed my foot dragging", ["weakness"]),
        ("my husband had his surgery tuesday and now he can't pee", ["bladder"]),
    ],
)
def test_whose_symptom_it_is(text, expected):
    assert codes(text) == expected


def test_doubt_keeps_the_finding_and_asks_for_review():
    a = evaluate("not sure if my leg is weak")
    assert (a.codes, a.needs_review) == (["weakness"], True)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("my left leg is weak", Severity.URGENT),
        ("both legs are weak", Severity.EMERGENCY),
        ("my leg suddenly went weak", Severity.EMERGENCY),
        ("my leg is getting weaker and weaker", Severity.EMERGENCY),
        ("I can't stand up, my legs won't hold me", Severity.EMERGENCY),
        ("hard to swallow", Severity.URGENT),
        ("hard to swallow and I can't breathe", Severity.EMERGENCY),
    ],
)
def test_tiers_that_depend_on_the_words(text, severity):
    assert evaluate(text).severity is severity


@pytest.mark.parametrize(
    ("text", "question", "expected", "review"),
    [
        ("yes", "numbness", ["numbness"], False),
        ("yes", "bladder_bowel", ["bladder"], True),
        ("yes", "wound_fever", ["fever"], True),
        ("yes", "general", [], False),
        ("both feet", "numbness", ["numbness"], False),
        ("both legs", "weakness", ["weakness"], False),
        ("not sure", "numbness", ["numbness"], True),
        ("a little sore", "numbness", [], False),
        ("yes, constipated", "bladder_bowel", ["constipation"], False),
    ],
)
def test_answers_read_against_the_question(text, question, expected, review):
    a = evaluate(text, question)
    assert (a.codes, a.needs_review) == (expected, review)


@pytest.mark.parametrize(
    ("text", "channel", "expected"),
    [
        ("tingly in my food", "voice", ["numbness"]),
        ("my legs feel week", "voice", ["weakness"]),
        ("i dont no if my leg is weak", "voice", ["weakness"]),
        ("numbniss in my foot", "sms", ["numbness"]),
        ("my legs r dead", "sms", ["weakness"]),
        ("tinglling in my feet", "sms", ["numbness"]),
    ],
)
def test_misspellings_slang_and_speech_recognition(text, channel, expected):
    assert codes(text, channel=channel) == expected
