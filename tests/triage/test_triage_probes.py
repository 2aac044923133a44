"""Blind probe sets: replies written from LABELING.md before the parser saw them.

They estimate performance on unseen replies, so they assert the project's safety targets
(scoring.TARGETS), not a perfect score: each new batch is scored once before any tuning.
"""

import json
from pathlib import Path

import pytest

from triage.rules import CODES, QUESTIONS
from triage.tools.scoring import score, shortfalls

HERE = Path(__file__).parent
PROBES = sorted(HERE.glob("probe_cases*.jsonl"))
FIELDS = {"id", "question", "channel", "lang", "text", "findings", "severity", "note"}


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_there_are_probe_sets():
    assert PROBES


@pytest.mark.parametrize("path", PROBES, ids=[p.name for p in PROBES])
def test_probe_set_is_well_formed(path):
    items = [json.loads(line) for line in _lines(path)]
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert FIELDS <= set(item) <= FIELDS | {"needs_review"}, item["id"]
        assert item["question"] in QUESTIONS, item["id"]
        assert set(item["findings"]) <= set(CODES), item["id"]
        if item["channel"] == "voice":
            assert item["text"] == item["text"].lower(), item["id"]


@pytest.mark.parametrize("path", PROBES, ids=[p.name for p in PROBES])
def test_probe_set_meets_the_safety_targets(path):
    result = score(_lines(path))
    assert not shortfalls(result.overall), shortfalls(result.overall)
