"""Whatever arrives, evaluate answers with an Assessment that keeps its invariants."""

import json
import random
import string
from pathlib import Path

import pytest

from triage import MAX_TRIAGE_CHARS, Severity, TriageError, evaluate
from triage.normalize import tokenize
from triage.tools.cli import run

CASES = Path(__file__).with_name("cases.jsonl")

ODD = [
    "",
    "?",
    "...",
    "🙂🙂🙂",
    "no no no no no",
    "1 2 3 4 5 6 7 8 9 10 11 12",
    "999999999999999999999",
    "a" * 5000,
    "no\n\n\nyes",
    "İstanbul",
    "can't can't can't",
    "temp 101.2.3.4",
    "8/10/2026",
    "#2",
    "se me",
    "pero pero pero",
    "if if if",
    "my my my",
]


@pytest.mark.parametrize("text", ODD)
@pytest.mark.parametrize("question", ["general", "pain", "numbness", "bladder_bowel"])
def test_odd_replies_never_raise_and_keep_the_invariants(text, question):
    a = evaluate(text, question, channel="voice")
    _check(a, text)


def test_random_replies_never_raise_and_keep_the_invariants():
    rng = random.Random(3)
    words = (
        "no numb tingly legs both cant pee fever 101 yes si 8 /10 but not my husband if is it "
        "normal gone anymore before surgery weak fell , . ? pero ya no sin ni tengo hormigueo"
    )
    words = words.split(" ")
    for _ in range(3000):
        if rng.random() < 0.5:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
        else:
            text = "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 40)))
        question = rng.choice(["general", "pain", "numbness", "weakness", "wound_fever"])
        _check(evaluate(text, question, rng.choice(["en", "es"])), text)


def test_cli_lines_with_wrong_types_are_errors_not_crashes():
    lines = ['{"text": 5}', '{"text": "yes", "question": 7}', "[1, 2]", '"text"', "{}"]
    out = list(run(lines))
    assert all("error" in o for o in out)


def test_only_triage_error_is_raised_for_bad_arguments():
    with pytest.raises(TriageError):
        evaluate("yes", question=3)  # type: ignore[arg-type]


def _check(a, text):
    assert a.truncated == (len(text) > MAX_TRIAGE_CHARS)
    if a.truncated:
        assert a.needs_review
    elif a.needs_review:
        assert a.findings and a.severity > Severity.NONE
    assert a.severity == max((f.tier for f in a.findings), default=Severity.NONE)
    for f in a.findings:
        assert f.evidence and f.evidence in text
    assert len({f.code for f in a.findings}) == len(a.findings)


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("tinglling", "tingling"),
        ("numbnes", "numbness"),
        ("incsion", "incision"),
        ("swolen", "swollen"),
        ("constipted", "constipated"),
        ("unbeaable", "unbearable"),
        ("hormigeo", "hormigueo"),
        ("chocking", "choking"),
    ],
)
def test_typos_of_symptom_words_are_corrected(typed, word):
    assert [t.word for t in tokenize(typed)] == [word]


@pytest.mark.parametrize(
    "word", ["grain", "talking", "inspection", "checking", "nueve", "siete", "sweets", "number"]
)
def test_real_words_near_symptom_words_are_left_alone(word):
    assert [t.word for t in tokenize(word)] == [word]


def test_one_typo_in_the_longest_word_rarely_hides_a_red_flag():
    rng = random.Random(7)
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    due = missed = 0
    for case in cases:
        if case["severity"] not in ("urgent", "emergency"):
            continue
        words = [w for w in case["text"].split() if w.isalpha() and len(w) >= 6]
        if not words:
            continue
        word = max(words, key=len)
        i = rng.randrange(1, len(word) - 1)
        typo = word[:i] + word[i + 1 :]
        a = evaluate(case["text"].replace(word, typo, 1), case["question"], case["lang"])
        due += 1
        missed += a.severity < Severity.URGENT and not a.needs_review
    assert due > 100
    assert missed / due <= 0.03
