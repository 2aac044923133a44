"""Blind batches 6a-16c: replies written from LABELING.md by authors who never saw the parser.

Each was scored once before any change made for it; those first scores are the honest figures
in the README. Each asserts a floor, its score after the fixes for its miss classes, that later
changes may raise but never lower. 6c keeps one miss: "Mi madre tiene el gemelo duro, rojo" reads
as someone else's leg when no sender is given, as batches 1-5 label a relative's symptoms; 8c keeps
its like ("mi papa se cayo en la escalera"). 8b keeps "and kinda my groin too" after a numb foot:
the numbness is found, the groin's share of it is not.
"""

import json
from pathlib import Path

import pytest

from tests.triage.test_triage_probes import FIELDS, _lines
from triage.rules import CODES, QUESTIONS
from triage.tools.scoring import score

HERE = Path(__file__).parent / "blind"
# batch: (escalation recall, emergency recall, false alarms (ceiling), severity accuracy)
BLIND = {
    "batch_6a.jsonl": (0.867, 0.667, 0.103, 0.828),
    "batch_6b.jsonl": (0.802, 0.690, 0.121, 0.794),
    "batch_6c.jsonl": (0.802, 0.758, 0.091, 0.839),
    "batch_7a.jsonl": (0.908, 0.871, 0.155, 0.850),
    "batch_7b.jsonl": (0.819, 0.704, 0.125, 0.800),
    "batch_7c.jsonl": (0.802, 0.815, 0.089, 0.825),
    "batch_8a.jsonl": (0.965, 0.930, 0.061, 0.941),
    "batch_8b.jsonl": (0.954, 0.904, 0.049, 0.935),
    "batch_8c.jsonl": (0.943, 1.0, 0.110, 0.900),
    "batch_9a.jsonl": (0.942, 0.904, 0.121, 0.882),
    "batch_9b.jsonl": (0.920, 0.809, 0.208, 0.817),
    "batch_9c.jsonl": (0.887, 0.795, 0.075, 0.864),
    "batch_10a.jsonl": (0.931, 0.909, 0.110, 0.894),
    "batch_10b.jsonl": (0.876, 0.790, 0.087, 0.870),
    "batch_10c.jsonl": (0.930, 0.928, 0.036, 0.905),
    "batch_11a.jsonl": (0.897, 0.775, 0.167, 0.812),
    "batch_11b.jsonl": (0.952, 0.921, 0.053, 0.937),
    "batch_11c.jsonl": (0.926, 0.875, 0.141, 0.862),
    "batch_12a.jsonl": (0.918, 0.829, 0.176, 0.843),
    "batch_12b.jsonl": (0.939, 0.875, 0.117, 0.868),
    "batch_12c.jsonl": (0.897, 0.825, 0.098, 0.875),
    "batch_13a.jsonl": (0.882, 0.725, 0.080, 0.862),
    "batch_13b.jsonl": (0.929, 0.825, 0.200, 0.831),
    "batch_13c.jsonl": (0.918, 0.850, 0.227, 0.812),
    "batch_14a.jsonl": (0.953, 0.925, 0.134, 0.881),
    "batch_14b.jsonl": (0.929, 0.875, 0.200, 0.850),
    "batch_14c.jsonl": (0.741, 0.750, 0.147, 0.756),
    "batch_15a.jsonl": (0.870, 0.775, 0.120, 0.831),
    "batch_15b.jsonl": (0.881, 0.775, 0.200, 0.800),
    "batch_15c.jsonl": (0.870, 0.850, 0.107, 0.850),
    "batch_16a.jsonl": (0.964, 0.975, 0.134, 0.881),
    "batch_16b.jsonl": (0.693, 0.450, 0.227, 0.655),
    "batch_16c.jsonl": (0.811, 0.675, 0.254, 0.730),
}
FLOOR = {
    "batch_6a.jsonl": (1.0, 1.0, 0.032, 0.949),
    "batch_6b.jsonl": (1.0, 1.0, 0.031, 0.949),
    "batch_6c.jsonl": (0.987, 1.0, 0.021, 0.971),
    "batch_7a.jsonl": (0.973, 0.967, 0.061, 0.937),
    "batch_7b.jsonl": (0.985, 1.0, 0.046, 0.918),
    "batch_7c.jsonl": (0.974, 1.0, 0.039, 0.949),
    "batch_8a.jsonl": (1.0, 1.0, 0.025, 0.982),
    "batch_8b.jsonl": (1.0, 0.976, 0.025, 0.970),
    "batch_8c.jsonl": (0.988, 1.0, 0.074, 0.952),
    "batch_9a.jsonl": (1.0, 0.952, 0.097, 0.935),
    "batch_9b.jsonl": (0.965, 0.976, 0.183, 0.882),
    "batch_9c.jsonl": (0.977, 0.977, 0.025, 0.958),
    "batch_10a.jsonl": (0.988, 1.0, 0.086, 0.941),
    "batch_10b.jsonl": (0.977, 0.976, 0.038, 0.964),
    "batch_10c.jsonl": (1.0, 1.0, 0.036, 0.970),
    "batch_11a.jsonl": (0.965, 0.95, 0.167, 0.862),
    "batch_11b.jsonl": (0.988, 1.0, 0.053, 0.956),
    "batch_11c.jsonl": (0.975, 0.95, 0.052, 0.943),
    "batch_12a.jsonl": (1.0, 0.975, 0.122, 0.912),
    "batch_12b.jsonl": (0.987, 0.975, 0.065, 0.95),
    "batch_12c.jsonl": (0.974, 0.975, 0.074, 0.937),
    "batch_13a.jsonl": (0.976, 0.95, 0.027, 0.962),
    "batch_13b.jsonl": (0.988, 0.975, 0.147, 0.912),
    "batch_13c.jsonl": (0.988, 0.95, 0.174, 0.875),
    "batch_14a.jsonl": (0.988, 0.95, 0.12, 0.912),
    "batch_14b.jsonl": (0.976, 0.95, 0.187, 0.887),
    "batch_14c.jsonl": (0.882, 0.925, 0.147, 0.843),
    "batch_15a.jsonl": (0.976, 0.95, 0.107, 0.906),
    "batch_15b.jsonl": (0.905, 0.825, 0.2, 0.825),
    "batch_15c.jsonl": (0.952, 0.975, 0.107, 0.912),
    "batch_16a.jsonl": (0.964, 0.975, 0.134, 0.881),
    "batch_16b.jsonl": (0.882, 0.825, 0.2, 0.768),
    "batch_16c.jsonl": (0.87, 0.825, 0.214, 0.793),
}


def test_every_batch_has_a_floor():
    assert sorted(p.name for p in HERE.glob("*.jsonl")) == sorted(FLOOR) == sorted(BLIND)


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_batch_is_well_formed(name):
    items = [json.loads(line) for line in _lines(HERE / name)]
    assert len(items) >= 160 and len({i["id"] for i in items}) == len(items)
    for item in items:
        assert set(item) == FIELDS, item["id"]
        assert item["question"] in QUESTIONS and set(item["findings"]) <= set(CODES), item["id"]


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_batch_scores_at_least_its_floor(name):
    tally = score(_lines(HERE / name)).overall
    recall, emergency, alarms, accuracy = FLOOR[name]
    assert tally.escalation_recall >= recall
    assert tally.emergency_recall >= emergency
    assert tally.false_alarm_rate <= alarms
    assert tally.severity_accuracy >= accuracy
    # Better than the blind first score on every measure.
    first = BLIND[name]
    assert tally.escalation_recall >= first[0] and tally.false_alarm_rate <= first[2]
