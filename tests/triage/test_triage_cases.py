"""Table-driven cases written from LABELING.md's definitions (tests/triage/cases.jsonl)."""

import json
from pathlib import Path

import pytest

from triage import Severity, evaluate

CASES_PATH = Path(__file__).with_name("cases.jsonl")
CASES = [json.loads(line) for line in CASES_PATH.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reply_gets_the_labelled_findings_and_severity(case):
    a = evaluate(case["text"], case["question"], case["lang"], case["channel"])
    assert (sorted(a.codes), a.severity.name.lower()) == (
        sorted(case["findings"]),
        case["severity"],
    ), case["note"]
    if "needs_review" in case:
        assert a.needs_review is case["needs_review"], case["note"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_evidence_is_a_substring_of_the_reply(case):
    a = evaluate(case["text"], case["question"], case["lang"], case["channel"])
    for finding in a.findings:
        assert finding.evidence, finding
        assert finding.evidence in case["text"], finding


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_review_always_comes_with_a_finding(case):
    a = evaluate(case["text"], case["question"], case["lang"], case["channel"])
    if a.needs_review:
        assert a.findings
        assert a.severity > Severity.NONE
        assert a.severity == max(f.tier for f in a.findings)


def test_the_case_table_covers_both_languages_channels_and_every_code():
    assert len(CASES) >= 150
    assert {(c["lang"], c["channel"]) for c in CASES} == {
        ("en", "sms"),
        ("en", "voice"),
        ("es", "sms"),
        ("es", "voice"),
    }
    codes = {code for c in CASES for code in c["findings"]}
    assert codes == {
        "numbness",
        "saddle_numbness",
        "weakness",
        "bladder",
        "bowel",
        "constipation",
        "severe_pain",
        "radiating_pain",
        "fever",
        "wound",
        "dvt",
        "breathing",
        "csf_leak",
        "swallowing",
        "fall",
        "mood",
        "self_harm",
    }
    assert len({c["id"] for c in CASES}) == len(CASES)
