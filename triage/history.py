"""Rules that compare a reply with earlier check-ins: pain jumps and findings that are new.

Shape: `apply_history(assessment, previous)` takes the assessment of the current reply and the
patient's earlier answers as `PriorAnswer(findings, pain_score, when)` (any order; the latest
`when` is "the last answer") and returns a new Assessment:
- pain up `config.pain_jump` (default 3) points or more since the last answer that had a pain
  score adds severe_pain, rule "severe_pain.jump_since_last", evidence the words of the new score
  (LABELING.md severe_pain: "sudden big jump");
- every finding gets `new=True` when its code was absent at the last check-in, `new=False` when
  it was there. With no previous answer, findings keep `new=None` (unknown);
- a "same" answer (Rule.same) keeps its finding only when the last check-in had that code: "same"
  after "no numbness" is no numbness. With no previous answer a nurse reads it.
Pure functions: nothing is stored; the caller loads earlier answers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from triage.model import DEFAULT_CONFIG, Assessment, Finding, Severity, TriageConfig
from triage.rules import CODES, RULES

# Findings that stand for "the same as last time" (Rule.same).
_SAME_RULES = frozenset(r.id for r in RULES if r.same)

JUMP_RULE_ID = "severe_pain.jump_since_last"


@dataclass(frozen=True)
class PriorAnswer:
    """What an earlier check-in found: its finding codes, pain score and time (aware)."""

    findings: tuple[str, ...]
    pain_score: int | None
    when: datetime


def apply_history(
    assessment: Assessment,
    previous: Sequence[PriorAnswer],
    config: TriageConfig = DEFAULT_CONFIG,
) -> Assessment:
    """The assessment with history rules applied; see the module docstring."""
    if not previous:
        return assessment
    ordered = sorted(previous, key=lambda p: p.when)
    last = ordered[-1]
    findings = list(assessment.findings)
    last_pain = next((p.pain_score for p in reversed(ordered) if p.pain_score is not None), None)
    if (
        assessment.pain_score is not None
        and last_pain is not None
        and assessment.pain_score - last_pain >= config.pain_jump
        and all(f.code != "severe_pain" for f in findings)
    ):
        evidence = assessment.pain_evidence or str(assessment.pain_score)
        findings.append(Finding("severe_pain", Severity.URGENT, evidence, JUMP_RULE_ID))
    before = set(last.findings)
    findings = [f for f in findings if f.rule not in _SAME_RULES or f.code in before]
    marked = [dataclasses.replace(f, new=f.code not in before) for f in findings]
    marked.sort(key=lambda f: (-f.tier, CODES.index(f.code)))
    severity = max((f.tier for f in marked), default=Severity.NONE)
    return dataclasses.replace(
        assessment,
        findings=tuple(marked),
        severity=severity,
        needs_review=assessment.needs_review and bool(marked),
    )
