"""The safety targets hold on our own cases and on the shared dev corpus."""

import json
from pathlib import Path

import pytest

from triage.tools.scoring import TARGETS, report, score, shortfalls

CASES = Path(__file__).with_name("cases.jsonl")
DEV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"


def test_own_cases_meet_every_safety_target():
    result = score(CASES.read_text(encoding="utf-8").splitlines())
    assert shortfalls(result.overall) == [], report(result, show_misses=True)
    for group, tally in result.groups.items():
        assert shortfalls(tally) == [], group


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpus/dev.jsonl is not checked out")
def test_dev_corpus_meets_every_safety_target():
    result = score(DEV.read_text(encoding="utf-8").splitlines())
    assert shortfalls(result.overall) == [], report(result, show_misses=True)


def _item(findings, severity):
    return {
        "id": "1",
        "question": "general",
        "channel": "sms",
        "lang": "en",
        "text": "all good",
        "findings": findings,
        "severity": severity,
        "note": "x",
    }


def test_a_missed_emergency_counts_against_escalation_and_emergency_recall():
    result = score([json.dumps(_item(["bladder"], "emergency"))])
    t = result.overall
    assert (t.escalation_recall, t.emergency_recall) == (0.0, 0.0)
    assert t.recall("bladder") == 0.0
    assert len(shortfalls(t)) == 3


def test_an_escalated_calm_item_is_a_false_alarm():
    item = _item([], "none")
    item["text"] = "my left foot is numb"
    t = score([json.dumps(item)]).overall
    assert t.false_alarm_rate == 1.0
    assert t.precision("numbness") == 0.0


def test_targets_are_the_issue_numbers():
    assert TARGETS == {
        "escalation recall": (1.0, "min"),
        "emergency recall": (0.95, "min"),
        "false alarms": (0.05, "max"),
        "severity accuracy": (0.90, "min"),
    }
