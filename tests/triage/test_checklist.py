"""Replies to the numbered form: picked items, the pain score, and free words around them."""

import pytest

from triage import Severity
from triage.checklist import evaluate_checklist

ITEMS = ["numbness", "weakness", "bladder_bowel", "wound_fever"]


@pytest.mark.parametrize(
    ("text", "codes", "severity", "pain"),
    [
        ("0 pain 3", [], Severity.NONE, 3),
        ("0", [], Severity.NONE, None),
        ("none of these, PAIN 4", [], Severity.NONE, 4),
        ("1", ["numbness"], Severity.URGENT, None),
        ("1 3 pain 7", ["bladder", "numbness"], Severity.EMERGENCY, 7),
        ("1,2 p8", ["numbness", "weakness", "severe_pain"], Severity.URGENT, 8),
        ("0 dolor 9", ["severe_pain"], Severity.URGENT, 9),
        ("2, and I fell yesterday", ["fall", "weakness"], Severity.URGENT, None),
        ("0 pain 2 but my temp is 101.8", ["fever"], Severity.URGENT, 2),
        ("4 pain 5/10", ["fever"], Severity.URGENT, 5),
    ],
)
def test_a_numbered_reply_reads_items_pain_and_words(text, codes, severity, pain):
    assessment = evaluate_checklist(text, ITEMS)
    assert sorted(assessment.codes) == sorted(codes)
    assert assessment.severity == severity
    assert assessment.pain_score == pain


def test_a_picked_item_quotes_its_number_as_evidence():
    assessment = evaluate_checklist("1 3 pain 7", ITEMS)
    assert assessment.evidence["numbness"] == "1"
    assert assessment.evidence["bladder"] == "3"
    assert assessment.rules["bladder"] == "checklist.bladder_bowel"


def test_an_item_that_cannot_say_which_finding_goes_to_a_nurse():
    # "3" is bladder or bowel: the most likely finding, at its tier, for review.
    assessment = evaluate_checklist("3", ITEMS)
    assert assessment.needs_review
    assert assessment.severity == Severity.EMERGENCY


def test_numbers_beyond_the_form_are_not_items():
    assessment = evaluate_checklist("7", ITEMS[:2])
    assert "numbness" not in assessment.codes and "weakness" not in assessment.codes
