"""Whether a reply answers its question (else one re-ask) and the IVR's identity check."""

import pytest

import triage
from triage import answers_question, confirms_identity, evaluate
from triage.cues import ANSWER_NO, ANSWER_YES, CUES, IDENTITY_YES
from triage.normalize import fold

YES_NO = ("numbness", "weakness", "bladder_bowel", "wound_fever")
NOTHING = {"findings": (), "needs_review": False, "pain_score": None}


def answers(question, body, **overrides):
    return answers_question(question, body, **{**NOTHING, **overrides})


@pytest.mark.parametrize("question", ["general", "pain", "checklist", *YES_NO])
def test_a_reply_with_a_finding_or_for_review_answers_any_question(question):
    assert answers(question, "", findings=["numbness"])
    assert answers(question, "???", needs_review=True)


@pytest.mark.parametrize(
    ("body", "score", "expected"),
    [
        ("7", 7, True),
        ("zero", 0, True),
        ("what do you mean", None, False),
        ("dunno", None, False),
        ("no", None, False),  # a yes/no word is no pain score
        ("0", None, False),  # "0" counts on the checklist only
    ],
)
def test_the_pain_question_is_answered_by_a_pain_score(body, score, expected):
    assert answers("pain", body, pain_score=score) is expected


@pytest.mark.parametrize(
    ("body", "score", "expected"),
    [
        ("pain 6", 6, True),
        ("0", None, True),
        ("0 thanks", None, True),
        ("items 0", None, True),
        ("10", None, False),  # "0" only as a whole number
        ("0.5", None, True),
        ("none of them", None, True),
        ("nada", None, True),
        ("1", None, True),
        ("what is this", None, False),
        ("", None, False),
    ],
)
def test_the_checklist_is_answered_by_a_score_a_zero_or_a_yes_no_word(body, score, expected):
    assert answers("checklist", body, pain_score=score) is expected


@pytest.mark.parametrize(("body", "expected"), [("meh", True), ("?", True), ("  \n ", False)])
def test_the_general_question_is_answered_by_anything_not_blank(body, expected):
    assert answers("general", body) is expected


@pytest.mark.parametrize("question", YES_NO)
@pytest.mark.parametrize(
    "body",
    [
        "yes", "Yeah", "yep", "y", "si", "Sí", "1",
        "no", "NOPE", "nah", "none", "never", "not really", "nothing", "negative", "n", "nada",
        "ninguno", "ninguna", "ningún", "tampoco", "2",
        "fine", "good", "ok", "okay", "bien", "Bien, gracias", "no!!", "I'm fine thanks",
    ],
)  # fmt: skip
def test_a_yes_no_question_is_answered_by_a_yes_no_word(question, body):
    assert answers(question, body)


@pytest.mark.parametrize("question", YES_NO)
@pytest.mark.parametrize(
    "body",
    [
        "what do you mean", "dunno", "", "3", "nunca", "ningun", "yess", "nooo", "noted",
        "yesterday", "sino", "binomial",
    ],
)  # fmt: skip
def test_other_replies_to_a_yes_no_question_are_asked_again(question, body):
    # Whole words only: "noted" and "yesterday" hold no answer word, and "ningun" without its
    # accent, "yess" and "nooo" were never in the list.
    assert not answers(question, body)


def test_a_reply_the_yes_cue_reads_is_a_finding_and_so_an_answer():
    assessment = evaluate("a veces", "numbness")
    assert assessment.codes == ["numbness"]
    assert answers_question(
        "numbness", "a veces", assessment.findings, assessment.needs_review, assessment.pain_score
    )


@pytest.mark.parametrize(
    ("speech", "digits"),
    [
        ("yes", ""), ("Yes.", ""), ("  yeah!", ""), ("yep", ""), ("Correct", ""), ("si", ""),
        ("Sí.", ""), ("¡Sí!", ""), ("¿sí?", ""), ("claro", ""), ("Soy yo.", ""), ("yes?", ""),
        ("", "1"), ("who is this", "1"),
    ],
)  # fmt: skip
def test_the_caller_confirms_identity_with_keypad_1_or_exactly_a_yes(speech, digits):
    assert confirms_identity(speech, digits)


@pytest.mark.parametrize(
    ("speech", "digits"),
    [
        ("", ""), ("", "9"), ("", "11"), ("", "2"), ("who is this", ""), ("no", ""),
        ("yes but my wife", ""), ("yes yes", ""), ("yeah sure", ""), ("y", ""), ("1", ""),
        ("sure", ""), ("yes, it's me", ""), ("soy", ""), ("okay", ""), ("yes\n", "9"),
        ("yes,", ""),
    ],
)  # fmt: skip
def test_anything_else_is_no_confirmation(speech, digits):
    # "yes\n" keeps its newline and "yes," its comma: only " .!?¡¿" are stripped, as before.
    assert not confirms_identity(speech, digits)


def test_the_package_exports_both_checks():
    assert triage.answers_question is answers_question
    assert triage.confirms_identity is confirms_identity


def test_answer_words_belong_to_the_cue_vocabulary():
    negations = {fold(p) for p in (*CUES["NEG_PRE"], *CUES["NEG_POST"])}
    yes = {fold(p) for p in CUES["YES"]}
    assert {fold(w) for w in ANSWER_YES} <= yes
    # "n" and keypad "2" mean no only as a whole answer, never as a cue inside a sentence.
    assert {fold(w) for w in ANSWER_NO} - {"n", "2"} <= negations
    assert {fold(w) for w in IDENTITY_YES} - {"soy yo"} <= yes
