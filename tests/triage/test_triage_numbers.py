"""Pain scores and temperatures in digits and words, English and Spanish."""

import pytest

from triage import evaluate
from triage.normalize import tokenize
from triage.numbers import find_numbers, pain_score, temperature


def _pain(text, question="pain", channel="sms"):
    tokens = tokenize(text, channel)
    reading = pain_score(tokens, find_numbers(tokens), question)
    return None if reading is None else reading.value


def _temp(text, question="wound_fever", channel="sms"):
    tokens = tokenize(text, channel)
    reading = temperature(tokens, find_numbers(tokens), question)
    return None if reading is None else (reading.value, "C" if reading.flag else "F")


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("7", 7),
        ("7-8", 8),
        ("6 or 7", 7),
        ("8/10", 8),
        ("8 / 10", 8),
        ("a nine", 9),
        ("eight out of ten", 8),
        ("ocho", 8),
        ("8 de 10", 8),
        ("como un ocho", 8),
        ("10+", 10),
        ("7 now 4 with meds", 7),
        ("took 2 pills, its a 5", 5),
        ("zero", 0),
        ("i would say a ate today", 8),
    ],
)
def test_pain_scores_are_read_in_all_their_forms(text, score):
    assert _pain(text, channel="voice" if "ate" in text else "sms") == score


@pytest.mark.parametrize(
    "text", ["walked for 10 minutes", "took 2 pills", "day 3 after surgery", "at 8 pm"]
)
def test_counts_and_times_are_not_pain_scores(text):
    assert _pain(text, question="general") is None


def test_a_number_in_a_general_reply_counts_only_next_to_pain_words():
    assert _pain("back pain is 6 today", question="general") == 6
    assert _pain("6 days since surgery", question="general") is None


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("101.2", (101.2, "F")),
        ("temp 101", (101.0, "F")),
        ("38.9C", (38.9, "C")),
        ("38,9 grados", (38.9, "C")),
        ("fiebre de 102", (102.0, "F")),
        ("one oh one point five", (101.5, "F")),
        ("a hundred and two", (102.0, "F")),
        ("treinta y ocho punto cinco grados", (38.5, "C")),
        ("ciento uno", (101.0, "F")),
    ],
)
def test_temperatures_are_read_in_all_their_forms(text, reading):
    assert _temp(text, channel="voice") == reading


def test_a_plain_integer_is_a_temperature_only_with_a_temperature_word_or_question():
    assert _temp("walked 100 steps", question="general") is None
    assert _temp("100", question="wound_fever") == (100.0, "F")


@pytest.mark.parametrize(
    ("text", "codes", "temperature_f"),
    [
        ("temp 101.0", ["fever"], 101.0),
        ("temp 100.9", [], 100.9),
        ("38.3 C", ["fever"], 100.9),
        ("38.2 C", [], 100.8),
        ("low grade fever 99.9", [], 99.9),
    ],
)
def test_fever_follows_the_threshold_in_each_scale(text, codes, temperature_f):
    a = evaluate(text, "wound_fever")
    assert (a.codes, a.temperature_f) == (codes, temperature_f)


@pytest.mark.parametrize(
    ("text", "question", "severe"),
    [
        ("8", "pain", True),
        ("7", "pain", False),
        ("pain 9 tonight", "general", True),
        ("my back is killing me but maybe a 5", "general", False),
        ("was a 3 all week and this morning it jumped to a 7", "general", True),
        ("it was 7, now 4", "general", False),
    ],
)
def test_severe_pain_from_scores(text, question, severe):
    assert ("severe_pain" in evaluate(text, question).codes) is severe


def test_a_bare_high_number_to_the_open_question_is_a_pain_score_for_review():
    a = evaluate("8", "general")
    assert (a.pain_score, a.codes, a.needs_review) == (8, ["severe_pain"], True)


def test_yes_no_questions_read_1_as_yes_and_2_as_no():
    assert evaluate("1", "weakness").codes == ["weakness"]
    assert evaluate("2", "weakness").codes == []
    assert evaluate("2", "bladder_bowel").codes == []
