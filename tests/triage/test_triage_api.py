"""The public API contract the Django side codes against."""

import dataclasses
import json

import pytest

from triage import (
    DEFAULT_CONFIG,
    Assessment,
    Finding,
    Severity,
    TriageConfig,
    TriageError,
    evaluate,
)


def test_severity_orders_tiers_and_names_them_for_json():
    assert Severity.NONE < Severity.ROUTINE < Severity.URGENT < Severity.EMERGENCY
    assert [s.name.lower() for s in Severity] == ["none", "routine", "urgent", "emergency"]
    assert int(Severity.EMERGENCY) == 3


def test_finding_and_assessment_are_frozen():
    a = evaluate("my right foot is numb")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.severity = Severity.NONE  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.findings[0].code = "x"  # type: ignore[misc]


def test_evidence_is_copied_verbatim_from_the_reply():
    text = "No fever but my RIGHT foot is numb"
    a = evaluate(text)
    assert a.codes == ["numbness"]
    assert a.evidence["numbness"] in text
    assert "RIGHT" in a.evidence["numbness"] or "foot" in a.evidence["numbness"]


def test_to_dict_is_json_friendly_with_the_contract_keys():
    a = evaluate("can't pee since last night and my legs are weak")
    out = a.to_dict()
    assert set(out) == {
        "findings",
        "severity",
        "needs_review",
        "pain_score",
        "evidence",
        "rules",
        "truncated",
    }
    assert out["truncated"] is False
    assert out["severity"] == "emergency"
    assert set(out["findings"]) == {"bladder", "weakness"}
    assert out["rules"]["bladder"] == "bladder.reported"
    json.dumps(out)


def test_codes_come_most_urgent_first():
    a = evaluate("my foot is numb and I peed myself")
    assert a.codes == ["bladder", "numbness"]


def test_no_finding_gives_severity_none():
    a = evaluate("feeling good today, a little sore")
    assert a == Assessment((), Severity.NONE, False, None, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": "mood"}, "question"),
        ({"lang": "fr"}, "lang"),
        ({"channel": "email"}, "channel"),
    ],
)
def test_unknown_question_lang_or_channel_raises_triage_error(kwargs, message):
    with pytest.raises(TriageError, match=message):
        evaluate("yes", **kwargs)


def test_text_that_is_not_a_string_raises_triage_error():
    with pytest.raises(TriageError):
        evaluate(None)  # type: ignore[arg-type]


def test_empty_text_has_no_finding():
    assert evaluate("   ").severity is Severity.NONE


def test_question_none_means_general():
    assert evaluate("8", None) == evaluate("8", "general")


def test_config_defaults_follow_labeling_md():
    assert DEFAULT_CONFIG.fever_f == 101.0
    assert DEFAULT_CONFIG.fever_c == 38.3
    assert DEFAULT_CONFIG.severe_pain_min == 8
    assert TriageConfig() == DEFAULT_CONFIG


def test_a_clinic_may_lower_the_fever_threshold():
    assert evaluate("temp 100.6", "wound_fever").codes == []
    lower = TriageConfig(fever_f=100.4)
    assert evaluate("temp 100.6", "wound_fever", config=lower).codes == ["fever"]


def test_a_clinic_may_make_bilateral_numbness_an_emergency():
    text = "both my legs are numb"
    assert evaluate(text).severity is Severity.URGENT
    config = TriageConfig(bilateral_numbness_emergency=True)
    assert evaluate(text, config=config).severity is Severity.EMERGENCY


def test_a_clinic_may_override_one_rules_tier():
    config = TriageConfig(tier_overrides=(("constipation.reported", Severity.URGENT),))
    assert evaluate("havent pooped in 5 days", config=config).severity is Severity.URGENT


def test_findings_are_finding_instances_with_a_rule_id():
    (finding,) = evaluate("my groin is numb").findings
    assert isinstance(finding, Finding)
    assert finding == Finding(
        "saddle_numbness", Severity.EMERGENCY, "groin is numb", "saddle_numbness.site"
    )
