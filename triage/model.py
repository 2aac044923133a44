"""Value types of the triage package: severities, findings, assessments, settings, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

# Twilio's longest message body; a longer reply is cut to this and read by a nurse.
MAX_TRIAGE_CHARS = 1600


class TriageError(Exception):
    """Bad input to the triage package (unknown question, language or channel, wrong type)."""


class Severity(IntEnum):
    """How fast a nurse must act; ordered so that max() gives the most urgent."""

    NONE = 0
    ROUTINE = 1
    URGENT = 2
    EMERGENCY = 3


@dataclass(frozen=True)
class Finding:
    """One finding code present in a reply, with the words that made its rule fire.

    `new` is None until `apply_history` has compared the reply with the previous check-in;
    then True when the code was absent at the previous check-in and False when it was there.
    """

    code: str
    tier: Severity
    evidence: str
    rule: str
    new: bool | None = None


@dataclass(frozen=True)
class TriageConfig:
    """Clinic settings. Defaults follow LABELING.md; where clinical-triage.md disagrees, a setting.

    fever_f / fever_c: a temperature at or above either threshold is a fever (LABELING.md).
    severe_pain_min: a pain score at or above it is severe_pain (LABELING.md: 8-10).
    pain_jump: a rise of this many points since the previous answer is severe_pain
        (LABELING.md "sudden big jump"; clinical-triage.md 1.2 suggests 2-3).
    constipation_min_days: a stated number of days without a bowel movement below this is not
        constipation ("no bowel movement for days").
    constipation_urgent_days: when set, constipation this many days or more is urgent
        (clinical-triage.md 1.1 proposes 4-5 days); None keeps LABELING.md's routine.
    bilateral_numbness_emergency: numbness in both legs is an emergency
        (clinical-triage.md 1.2); LABELING.md keeps all numbness urgent.
    tier_overrides: (rule id, tier) pairs a clinical owner signed off, replacing the table's tier.
    fuzzy: correct misspellings of symptom words by edit distance.
    """

    fever_f: float = 101.0
    fever_c: float = 38.3
    severe_pain_min: int = 8
    pain_jump: int = 3
    constipation_min_days: int = 2
    constipation_urgent_days: int | None = None
    bilateral_numbness_emergency: bool = False
    tier_overrides: tuple[tuple[str, Severity], ...] = ()
    fuzzy: bool = True

    def tier_for(self, rule_id: str, tier: Severity) -> Severity:
        """The tier of a rule after the clinic's overrides."""
        for overridden, new_tier in self.tier_overrides:
            if overridden == rule_id:
                return new_tier
        return tier


DEFAULT_CONFIG = TriageConfig()


@dataclass(frozen=True)
class Assessment:
    """The triage of one reply: findings in tier order, the overall severity, review flag.

    Invariant: when needs_review is True there is at least one finding and severity > NONE,
    unless truncated. truncated: the reply was longer than MAX_TRIAGE_CHARS and only its start
    was read; needs_review is then True, so a nurse reads the rest.
    pain_evidence holds the words of the pain score, so history rules can quote them.
    """

    findings: tuple[Finding, ...]
    severity: Severity
    needs_review: bool
    pain_score: int | None
    temperature_f: float | None
    pain_evidence: str | None = field(default=None, compare=False)
    truncated: bool = False

    @property
    def codes(self) -> list[str]:
        """Finding codes, most urgent first (the order of `findings`)."""
        return [f.code for f in self.findings]

    @property
    def evidence(self) -> dict[str, str]:
        """The quoted words behind each finding code."""
        return {f.code: f.evidence for f in self.findings}

    @property
    def rules(self) -> dict[str, str]:
        """The id of the rule behind each finding code."""
        return {f.code: f.rule for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form; adds "new" (codes new since last check-in) after history."""
        out: dict[str, Any] = {
            "findings": self.codes,
            "severity": self.severity.name.lower(),
            "needs_review": self.needs_review,
            "pain_score": self.pain_score,
            "evidence": self.evidence,
            "rules": self.rules,
            "truncated": self.truncated,
        }
        if self.findings and any(f.new is not None for f in self.findings):
            out["new"] = [f.code for f in self.findings if f.new]
        return out
