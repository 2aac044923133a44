"""Evaluate one reply: check the input, read each reading of its typo ties, settle them."""

from __future__ import annotations

import dataclasses

from triage.engine import Evaluation
from triage.model import DEFAULT_CONFIG, Assessment, Finding, Severity, TriageConfig, TriageError
from triage.normalize import Token, bound, tokenize
from triage.rules import CODES, QUESTIONS

LANGS = ("en", "es")
CHANNELS = ("sms", "voice")
SENDERS = ("patient", "caregiver")


def evaluate(
    text: str,
    question: str | None = None,
    lang: str = "en",
    channel: str = "sms",
    config: TriageConfig = DEFAULT_CONFIG,
    sender: str | None = None,
) -> Assessment:
    """Triage one patient reply to a check-in question.

    text: the reply as typed or transcribed. question: general, pain, numbness, weakness,
    bladder_bowel or wound_fever (None means general); a bare "yes", "2" or "8" is read against
    it. lang: en or es (both vocabularies are always used, since replies mix them).
    channel: sms or voice (voice fixes speech-recognition sound-alikes such as "food" for
    "foot"). sender: patient, caregiver (the patient's registered caregiver wrote, so a report
    about "she" or "my mom" is the patient's unless it is plainly someone else's) or None (not
    known: the text's own cues decide). Raises TriageError for anything but these values.
    """
    question = _check(text, question, lang, channel, config, sender)
    text, truncated = bound(text)
    tokens = tokenize(text, channel, config.fuzzy)
    if not tokens:
        assessment = Assessment((), Severity.NONE, False, None, None)
    else:
        readings = [
            Evaluation(text, r, question, config, sender == "caregiver").run()
            for r in _readings(tokens)
        ]
        assessment = readings[0] if len(readings) == 1 else _settle(text, tokens, readings)
    if truncated:
        # A nurse reads what triage did not; the findings in the part read still stand.
        return dataclasses.replace(assessment, needs_review=True, truncated=True)
    return assessment


def _readings(tokens: list[Token]) -> list[list[Token]]:
    """The reply once per reading of its typo ties (Token.alternatives); usually once."""
    tied = [len(t.alternatives) for t in tokens if t.alternatives]
    if not tied:
        return [tokens]
    count = max(tied)
    out = [tokens]
    for k in range(1, count + 1):
        out.append(
            [
                Token(t.alternatives[min(k, len(t.alternatives)) - 1], t.start, t.end)
                if t.alternatives
                else t
                for t in tokens
            ]
        )
    return out


def _settle(text: str, tokens: list[Token], readings: list[Assessment]) -> Assessment:
    """One assessment from the readings of a typo tie: every finding any reading made.

    A typo equally near two words that mean different things is not settled in silence: when
    the readings disagree a nurse reads the reply, and each finding in dispute quotes the
    typed word.
    """
    typed = [t for t in tokens if t.alternatives]
    agreed = set.intersection(*({(f.code, f.tier) for f in a.findings} for a in readings))
    best: dict[str, Finding] = {}
    for a in readings:
        for f in a.findings:
            if f.code not in best or f.tier > best[f.code].tier:
                best[f.code] = f
    findings = []
    for f in best.values():
        if (f.code, f.tier) not in agreed:
            f = dataclasses.replace(f, evidence=_with_typed(text, f.evidence, typed))
        findings.append(f)
    findings.sort(key=lambda f: (-f.tier, CODES.index(f.code)))
    disagree = len(agreed) != len(best)
    pain = max(readings, key=lambda a: -1 if a.pain_score is None else a.pain_score)
    temperatures = [a.temperature_f for a in readings if a.temperature_f is not None]
    return Assessment(
        tuple(findings),
        max((f.tier for f in findings), default=Severity.NONE),
        bool(findings) and (disagree or any(a.needs_review for a in readings)),
        pain.pain_score,
        max(temperatures, default=None),
        pain.pain_evidence,
    )


def _with_typed(text: str, evidence: str, typed: list[Token]) -> str:
    """The evidence, widened to quote the nearest tied typo when it does not already."""
    start = text.find(evidence)
    end = start + len(evidence)
    if start < 0 or any(start <= t.start and t.end <= end for t in typed):
        return evidence
    t = min(typed, key=lambda t: min(abs(t.start - end), abs(start - t.end)))
    return text[min(start, t.start) : max(end, t.end)]


def _check(
    text: object, question: object, lang: object, channel: object, config: object, sender: object
) -> str:
    if not isinstance(text, str):
        raise TriageError(f"text must be a string, not {type(text).__name__}")
    if question is None:
        question = "general"
    if question not in QUESTIONS:
        raise TriageError(f"unknown question {question!r}; expected one of {', '.join(QUESTIONS)}")
    if lang not in LANGS:
        raise TriageError(f"unknown lang {lang!r}; expected en or es")
    if channel not in CHANNELS:
        raise TriageError(f"unknown channel {channel!r}; expected sms or voice")
    if sender is not None and sender not in SENDERS:
        raise TriageError(f"unknown sender {sender!r}; expected patient or caregiver")
    if not isinstance(config, TriageConfig):
        raise TriageError("config must be a TriageConfig")
    return str(question)
