"""The rule table is consistent data a clinician can review."""

import re

from triage.cues import CUES
from triage.lexicon import CLASSES
from triage.model import Severity
from triage.rules import (
    CODES,
    NET_RULES,
    NUMBER_RULES,
    QUESTION_CODES,
    QUESTIONS,
    RULES,
    describe,
)

ALL_RULES = (*RULES, *NUMBER_RULES)
KNOWN_CLASSES = set(CLASSES) | set(CUES) | {"NUMBER"}


def test_rule_ids_are_unique_and_name_their_code():
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALL_RULES:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", rule.id), rule.id
        assert rule.id.split(".")[0] == rule.code, rule.id


def test_every_rule_cites_a_source_and_uses_known_classes():
    for rule in ALL_RULES:
        assert "LABELING.md" in rule.source or "clinical-triage.md" in rule.source, rule.id
        classes = [rule.head, *rule.near, *rule.not_near, *rule.not_in_reply]
        for spec in classes:
            assert set(spec.split("|")) <= KNOWN_CLASSES, (rule.id, spec)
        assert set(rule.questions) <= set(QUESTIONS), rule.id


def test_every_labeling_code_has_a_rule_and_tiers_follow_labeling_md():
    fixed = {
        "numbness": {Severity.URGENT},
        "saddle_numbness": {Severity.EMERGENCY},
        "weakness": {Severity.URGENT, Severity.EMERGENCY},
        "bladder": {Severity.EMERGENCY},
        "bowel": {Severity.EMERGENCY},
        "constipation": {Severity.ROUTINE},
        "severe_pain": {Severity.URGENT},
        "radiating_pain": {Severity.URGENT},
        "fever": {Severity.URGENT},
        "wound": {Severity.URGENT},
        "dvt": {Severity.URGENT},
        "breathing": {Severity.EMERGENCY},
        "csf_leak": {Severity.URGENT},
        "swallowing": {Severity.URGENT, Severity.EMERGENCY},
        "fall": {Severity.URGENT},
        "mood": {Severity.ROUTINE},
        "self_harm": {Severity.EMERGENCY},
    }
    assert set(CODES) == set(fixed)
    for code, tiers in fixed.items():
        used = {r.tier for r in ALL_RULES if r.code == code}
        assert used and used <= tiers, code


def test_question_codes_are_labeling_codes():
    assert set(QUESTION_CODES) == set(QUESTIONS)
    for codes in QUESTION_CODES.values():
        assert codes <= set(CODES)


def test_the_table_prints_one_line_per_rule():
    assert len(describe().splitlines()) == len(ALL_RULES) + len(NET_RULES)
