"""Triage reads at most MAX_TRIAGE_CHARS characters; a longer reply goes to a nurse."""

import random
import string

import pytest

import triage
from triage import MAX_TRIAGE_CHARS, Severity, evaluate
from triage.checklist import evaluate_checklist
from triage.normalize import bound
from triage.typos import nearest

FILLER = "the weather was nice and we walked to the park "  # 47 characters, no symptom


def padded(length: int, head: str = "", tail: str = "") -> str:
    """head, calm filler, then tail, `length` characters in all."""
    middle = length - len(head) - len(tail)
    return head + (FILLER * (middle // len(FILLER) + 1))[:middle] + tail


def test_the_limit_is_twilios_longest_body():
    assert MAX_TRIAGE_CHARS == triage.MAX_TRIAGE_CHARS == 1600


@pytest.mark.parametrize("length", [0, 1, MAX_TRIAGE_CHARS - 1, MAX_TRIAGE_CHARS])
def test_a_reply_within_the_limit_is_read_whole(length):
    text = padded(length)
    assert bound(text) == (text, False)
    a = evaluate(text)
    assert not a.truncated and not a.needs_review
    assert a.to_dict()["truncated"] is False


@pytest.mark.parametrize("length", [MAX_TRIAGE_CHARS + 1, 5_000, 100_000])
def test_a_longer_reply_is_cut_and_sent_to_a_nurse(length):
    a = evaluate(padded(length))
    assert a.truncated and a.needs_review
    assert a.to_dict()["truncated"] is True
    assert a.findings == ()  # nothing to report in what was read, and still a nurse reads it


def test_findings_in_the_part_read_are_still_reported():
    a = evaluate(padded(100_000, head="both my legs are numb and I cant pee. "))
    assert {"numbness", "bladder"} <= set(a.codes)
    assert a.severity is Severity.EMERGENCY
    assert a.truncated and a.needs_review


def test_words_past_the_limit_are_not_read():
    text = padded(MAX_TRIAGE_CHARS + 200, tail=" I cant pee")
    a = evaluate(text)
    assert "bladder" not in a.codes
    assert a.needs_review  # the nurse reads what triage did not


@pytest.mark.parametrize("start", range(MAX_TRIAGE_CHARS - 10, MAX_TRIAGE_CHARS + 2))
def test_the_cut_falls_between_words(start):
    # "numbness" starts at `start`: read whole when it ends by the limit, else dropped whole.
    head = "ab " * (start // 3) + "c" * (start % 3)
    head = head[: start - 1] + " "
    text = head + "numbness in my legs"
    read, cut = bound(text)
    assert cut and len(read) <= MAX_TRIAGE_CHARS and text.startswith(read)
    assert text[len(read)].isspace()
    last = read.split()[-1]
    if start + len("numbness") <= MAX_TRIAGE_CHARS:
        assert last == "numbness"
    else:
        assert last in ("ab", "c", "cc", "abc", "abcc")


def test_one_word_longer_than_the_limit_is_cut_at_the_limit():
    read, cut = bound("a" * 5_000)
    assert cut and read == "a" * MAX_TRIAGE_CHARS


def test_the_checklist_reads_the_same_bound():
    a = evaluate_checklist(
        padded(10_000, head="1 3 pain 9 "), ["numbness", "weakness", "bladder_bowel"]
    )
    assert {"numbness", "bladder", "severe_pain"} <= set(a.codes)
    assert a.truncated and a.needs_review
    short = evaluate_checklist("0 pain 2", ["numbness"])
    assert not short.truncated and not short.needs_review


def test_a_long_run_of_spaces_after_pain_is_read_like_one_space():
    # "pain", spaces, then the number: one way to match, however many spaces.
    assert evaluate_checklist("0 pain" + " " * 1_000 + "9", ["numbness"]).pain_score == 9
    assert evaluate_checklist("0 pain" + " " * 1_000 + "x", ["numbness"]).pain_score is None


def test_one_long_made_up_word_is_read_like_any_reply():
    rng = random.Random(5)
    word = "".join(rng.choice(string.ascii_lowercase) for _ in range(5_000))
    assert nearest(word[:40]) == ()  # longer than any symptom word by more than a typo
    a = evaluate(word)
    assert a.truncated and a.needs_review and a.findings == ()
