"""History rules: pain jumps since the last answer and findings that are new."""

from datetime import UTC, datetime, timedelta

from triage import PriorAnswer, Severity, TriageConfig, apply_history, evaluate

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def prior(findings=(), pain=None, days=0):
    return PriorAnswer(tuple(findings), pain, T0 + timedelta(days=days))


def test_no_history_changes_nothing():
    a = evaluate("my left foot is numb")
    assert apply_history(a, []) is a


def test_pain_up_three_points_since_the_last_answer_adds_severe_pain():
    a = evaluate("6", "pain")
    b = apply_history(a, [prior(pain=1, days=0), prior(pain=3, days=1)])
    assert b.codes == ["severe_pain"]
    assert b.severity is Severity.URGENT
    assert b.rules["severe_pain"] == "severe_pain.jump_since_last"
    assert b.evidence["severe_pain"] == "6"


def test_pain_up_two_points_is_not_a_jump_by_default_but_a_clinic_may_say_so():
    a = evaluate("5", "pain")
    assert apply_history(a, [prior(pain=3)]).codes == []
    strict = TriageConfig(pain_jump=2)
    assert apply_history(a, [prior(pain=3)], strict).codes == ["severe_pain"]


def test_the_last_answer_is_the_latest_by_time_not_by_position():
    a = evaluate("6", "pain")
    assert apply_history(a, [prior(pain=5, days=2), prior(pain=1, days=0)]).codes == []


def test_findings_absent_last_time_are_new():
    a = evaluate("my left foot is numb and I fell")
    b = apply_history(a, [prior(findings=["numbness"], days=0)])
    new = {f.code: f.new for f in b.findings}
    assert new == {"numbness": False, "fall": True}
    assert b.to_dict()["new"] == ["fall"]


def test_without_history_new_is_unknown_and_not_in_the_json():
    a = evaluate("my left foot is numb")
    assert a.findings[0].new is None
    assert "new" not in a.to_dict()
