"""Score triage output against a labelled corpus (LABELING.md format): the safety numbers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from triage.model import DEFAULT_CONFIG, TriageConfig
from triage.rules import CODES
from triage.tools.cli import triage_line

RANK = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}

# The project's safety targets (issue 3): no missed escalation, few missed emergencies.
TARGETS = {
    "escalation recall": (1.0, "min"),
    "emergency recall": (0.95, "min"),
    "false alarms": (0.05, "max"),
    "severity accuracy": (0.90, "min"),
}


@dataclass
class Tally:
    """Counts for one group of items (all, or one language x channel)."""

    items: int = 0
    severity_right: int = 0
    escalation_due: int = 0
    escalated: int = 0
    calm_due: int = 0
    false_alarms: int = 0
    emergency_due: int = 0
    emergency_caught: int = 0
    true_pos: dict[str, int] = field(default_factory=dict)
    false_pos: dict[str, int] = field(default_factory=dict)
    false_neg: dict[str, int] = field(default_factory=dict)

    def add(self, label: dict[str, Any], out: dict[str, Any]) -> None:
        """Count one labelled item and the triage output for it."""
        self.items += 1
        want, got = RANK[label["severity"]], RANK[out["severity"]]
        review = bool(out["needs_review"])
        self.severity_right += want == got
        if want >= 2:
            self.escalation_due += 1
            self.escalated += got >= 2 or review
        else:
            self.calm_due += 1
            self.false_alarms += got >= 2 or review
        if want == 3:
            self.emergency_due += 1
            self.emergency_caught += got == 3
        expected, found = set(label["findings"]), set(out["findings"])
        for code in expected & found:
            self.true_pos[code] = self.true_pos.get(code, 0) + 1
        for code in found - expected:
            self.false_pos[code] = self.false_pos.get(code, 0) + 1
        for code in expected - found:
            self.false_neg[code] = self.false_neg.get(code, 0) + 1

    @property
    def escalation_recall(self) -> float:
        """Items labelled urgent/emergency that come out urgent, emergency or for review."""
        return _ratio(self.escalated, self.escalation_due)

    @property
    def false_alarm_rate(self) -> float:
        """Items labelled none/routine that come out urgent, emergency or for review."""
        return _ratio(self.false_alarms, self.calm_due, empty=0.0)

    @property
    def emergency_recall(self) -> float:
        """Items labelled emergency that come out emergency (with or without review)."""
        return _ratio(self.emergency_caught, self.emergency_due)

    @property
    def severity_accuracy(self) -> float:
        """Items whose severity matches the label exactly."""
        return _ratio(self.severity_right, self.items)

    def precision(self, code: str) -> float:
        """Share of outputs of this code that the label has."""
        tp = self.true_pos.get(code, 0)
        return _ratio(tp, tp + self.false_pos.get(code, 0))

    def recall(self, code: str) -> float:
        """Share of labelled items with this code that the output has."""
        tp = self.true_pos.get(code, 0)
        return _ratio(tp, tp + self.false_neg.get(code, 0))


def _ratio(part: int, whole: int, empty: float = 1.0) -> float:
    return part / whole if whole else empty


@dataclass
class Score:
    """Tallies overall and per language x channel, plus the items that disagreed."""

    overall: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=dict)
    misses: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def score(lines: Iterable[str], config: TriageConfig = DEFAULT_CONFIG) -> Score:
    """Run triage on every labelled line and tally the results."""
    result = Score()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        label = _label(line, number)
        out = triage_line(line, config)
        if "error" in out:
            raise ValueError(f"{label.get('id')}: {out['error']}")
        result.overall.add(label, out)
        group = f"{label.get('lang', 'en')} x {label.get('channel', 'sms')}"
        result.groups.setdefault(group, Tally()).add(label, out)
        if set(out["findings"]) != set(label["findings"]) or out["severity"] != label["severity"]:
            result.misses.append((label, out))
    return result


def report(result: Score, by_group: bool = False, show_misses: bool = False) -> str:
    """A plain-text report of the scores."""
    lines = [_summary("overall", result.overall), "", "code               precision  recall"]
    t = result.overall
    for code in CODES:
        support = t.true_pos.get(code, 0) + t.false_neg.get(code, 0)
        output = t.true_pos.get(code, 0) + t.false_pos.get(code, 0)
        if support or output:
            lines.append(
                f"{code:<18} {t.precision(code):>8.1%}  {t.recall(code):>6.1%}"
                f"   (labelled {support}, output {output})"
            )
    if by_group:
        lines.append("")
        lines.extend(_summary(name, tally) for name, tally in sorted(result.groups.items()))
    if show_misses:
        lines.append("")
        for label, out in result.misses:
            lines.append(
                f"{label.get('id')}: {label['text']!r} want {label['findings']} "
                f"{label['severity']}, got {out['findings']} {out['severity']}"
                f"{' review' if out['needs_review'] else ''}"
            )
    return "\n".join(lines)


def shortfalls(t: Tally) -> list[str]:
    """The targets a tally misses, as readable strings (empty when all are met)."""
    values = {
        "escalation recall": t.escalation_recall,
        "emergency recall": t.emergency_recall,
        "false alarms": t.false_alarm_rate,
        "severity accuracy": t.severity_accuracy,
    }
    missed = []
    for name, (target, kind) in TARGETS.items():
        value = values[name]
        if (kind == "min" and value < target) or (kind == "max" and value > target):
            missed.append(
                f"{name} {value:.1%} (target {'>=' if kind == 'min' else '<='} {target:.0%})"
            )
    return missed


def _summary(name: str, t: Tally) -> str:
    return (
        f"{name}: {t.items} items  escalation recall {t.escalation_recall:.1%}  "
        f"emergency recall {t.emergency_recall:.1%}  false alarms {t.false_alarm_rate:.1%}  "
        f"severity accuracy {t.severity_accuracy:.1%}"
    )


def _label(line: str, number: int) -> dict[str, Any]:
    """One labelled line, or a ValueError that names the line and what it lacks."""
    try:
        label = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number} is not JSON: {exc.msg}") from None
    if not isinstance(label, dict):
        raise ValueError(f"line {number} is not a JSON object")
    severity, findings = label.get("severity"), label.get("findings")
    if (
        not isinstance(severity, str)
        or severity not in RANK
        or not isinstance(findings, list)
        or not all(isinstance(code, str) for code in findings)
    ):
        raise ValueError(
            f"line {number} needs a severity (one of {', '.join(RANK)}) and a findings list"
        )
    return label
