"""Speech transcripts lose punctuation and capitals: every typed case must survive that."""

import json
import re
from pathlib import Path

from triage import Severity, evaluate

CASES = [
    json.loads(line)
    for line in Path(__file__).with_name("cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line
]
RANK = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}


def as_transcript(text: str) -> str:
    """What a speech recogniser would print for a typed reply: lower case, no punctuation."""
    text = re.sub(r"(\d)\.(\d)", r"\1 point \2", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s#/]", " ", text)).strip()


def test_typed_red_flags_still_escalate_when_spoken():
    missed = []
    for case in CASES:
        if case["channel"] != "sms" or RANK[case["severity"]] < 2:
            continue
        a = evaluate(as_transcript(case["text"]), case["question"], case["lang"], "voice")
        if a.severity < Severity.URGENT and not a.needs_review:
            missed.append(case["id"])
    assert missed == []


def test_typed_calm_replies_stay_calm_when_spoken():
    alarms = []
    for case in CASES:
        if case["channel"] != "sms" or RANK[case["severity"]] >= 2:
            continue
        a = evaluate(as_transcript(case["text"]), case["question"], case["lang"], "voice")
        if a.severity >= Severity.URGENT or a.needs_review:
            alarms.append(case["id"])
    assert alarms == []


def test_two_words_heard_for_one_are_quoted_whole():
    # "numb ness" is read as "numbness"; the evidence quotes both words the caller said.
    a = evaluate("numb ness down my left leg", question="numbness", channel="voice")
    assert [f.code for f in a.findings] == ["numbness"]
    assert a.findings[0].evidence.startswith("numb ness")
    # Typed, "bow wells" stays two words: only speech is corrected.
    assert evaluate("bow wells", question="general").findings == ()
