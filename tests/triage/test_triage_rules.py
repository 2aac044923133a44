"""The rule table is consistent data a clinician can review."""

import dataclasses
import re
from pathlib import Path

import pytest

import triage
from triage import TriageConfig
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


def test_rule_settings_and_outweighed_rules_exist():
    ids = {r.id for r in (*ALL_RULES, *NET_RULES)}
    flags = {f.name for f in dataclasses.fields(TriageConfig) if f.type in ("bool", bool)}
    for rule in (*ALL_RULES, *NET_RULES):
        assert set(rule.outweighs) <= ids, rule.id
        assert not rule.emergency_setting or rule.emergency_setting in flags, rule.id
    assert {r.id for r in ALL_RULES if r.emergency_setting} == {"numbness.bilateral"}
    assert {r.id for r in ALL_RULES if r.days} == {"constipation.reported", "constipation.strain"}
    assert {r.id for r in NET_RULES if r.stands_negated} == {"net.self_harm"}


@pytest.mark.parametrize("module", ["parser", "engine", "scan", "net"])
def test_the_engine_names_no_finding_code_or_rule_id(module):
    # What a rule does beyond the table's common fields is a field of the rule, not a special
    # case in the engine.
    source = (Path(triage.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    quoted = set(re.findall(r"[\"']([a-z_]+)(?:\.[a-z_]+)?[\"']", source))
    assert quoted.isdisjoint(CODES), sorted(quoted & set(CODES))
