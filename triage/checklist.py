"""Replies to the compact numbered form: "1 3 pain 7" means items 1 and 3, and pain 7.

The form lists a check-in's symptom questions as numbered items (0 for none of them) and asks
for the pain score after the word PAIN (DOLOR). A picked item reads as "yes" to its question;
the words around the numbers are triaged as a free-text reply too, so "2, and I fell" still
finds the fall. Anything that cannot be read as the form is triaged as free text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from triage.model import DEFAULT_CONFIG, Assessment, Finding, Severity, TriageConfig
from triage.normalize import bound
from triage.parser import evaluate

# "pain 7", "dolor: 7", "p7", "7/10". One way to match the spaces around ":" ("\s*[:=]?\s*"
# split a run of spaces every way before giving up: quadratic in its length).
_PAIN = re.compile(
    r"(?:\b(?:pain|dolor|p)\s*(?:[:=]\s*)?(\d{1,2})\b)|(?:\b(\d{1,2})\s*/\s*10\b)", re.I
)
# Not part of a decimal ("101.5") or a fraction ("5/10"); "1,3" is a list of items.
_NUMBER = re.compile(r"(?<![\d./])\b(\d{1,2})\b(?!\.\d|\s*/)")


def evaluate_checklist(
    text: str,
    items: Sequence[str],
    lang: str = "en",
    channel: str = "sms",
    config: TriageConfig = DEFAULT_CONFIG,
    sender: str | None = None,
) -> Assessment:
    """Triage a reply to a numbered form whose items are these question codes, in order.

    Reads at most MAX_TRIAGE_CHARS characters, as `evaluate` does; a longer reply is marked
    truncated and goes to a nurse.
    """
    text, truncated = bound(text)
    pain_match = _PAIN.search(text)
    spans = [pain_match.span()] if pain_match else []
    picks: list[tuple[str, str]] = []
    for match in _NUMBER.finditer(text):
        if pain_match and pain_match.start() <= match.start() < pain_match.end():
            continue
        number = int(match.group(1))
        if number <= len(items):
            spans.append(match.span())
            if number:
                picks.append((items[number - 1], match.group(0)))
    # The form's numbers are not pain scores or temperatures: blank them for the free reading.
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    masked = "".join(chars)
    free = evaluate(
        masked, question="general", lang=lang, channel=channel, config=config, sender=sender
    )
    findings = {f.code: f for f in free.findings}
    needs_review = free.needs_review
    first_picks: dict[str, str] = {}
    for code, token in picks:
        first_picks.setdefault(code, token)  # "1 1 1 ...": one reading per item
    for code, token in first_picks.items():
        picked = evaluate("yes", question=code, lang=lang, channel=channel, config=config)
        needs_review = needs_review or picked.needs_review
        for finding in picked.findings:
            findings.setdefault(
                finding.code,
                dataclasses.replace(finding, evidence=token, rule=f"checklist.{code}"),
            )
    pain = free.pain_score
    if pain_match:
        pain = min(int(pain_match.group(1) or pain_match.group(2)), 10)
        if pain >= config.severe_pain_min and "severe_pain" not in findings:
            evidence = pain_match.group(0)
            findings["severe_pain"] = Finding(
                "severe_pain", Severity.URGENT, evidence, "checklist.pain"
            )
    ordered = sorted(findings.values(), key=lambda f: -f.tier)
    severity = max((f.tier for f in ordered), default=Severity.NONE)
    return Assessment(
        tuple(ordered),
        severity,
        truncated or (needs_review and bool(ordered)),
        pain,
        free.temperature_f,
        pain_match.group(0) if pain_match else free.pain_evidence,
        truncated=truncated,
    )
