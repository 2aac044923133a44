"""JSON-lines in, JSON-lines out: the pure core of the triage_replies command."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from triage.model import DEFAULT_CONFIG, TriageConfig, TriageError
from triage.parser import CHANNELS, LANGS, SENDERS, evaluate
from triage.rules import QUESTIONS


def run(lines: Iterable[str], config: TriageConfig = DEFAULT_CONFIG) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in order.

    Each input line is a JSON object with "text" (required) and optional "id", "question",
    "lang", "channel", "sender" (patient or caregiver); other fields are ignored. Output: {"id",
    "findings", "severity", "needs_review", "pain_score", "evidence", "truncated"}, or {"id",
    "error"} for an invalid line.
    Blank lines are skipped.
    """
    for line in lines:
        if not line.strip():
            continue
        yield triage_line(line, config)


def triage_line(line: str, config: TriageConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """The output object for one input line."""
    try:
        item = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    item_id = item.get("id")
    problem = _problem(item)
    if problem:
        return {"id": item_id, "error": problem}
    try:
        assessment = evaluate(
            item["text"],
            item.get("question"),
            lang=item.get("lang") or "en",
            channel=item.get("channel") or "sms",
            config=config,
            sender=item.get("sender"),
        )
    except TriageError as exc:
        return {"id": item_id, "error": str(exc)}
    out = assessment.to_dict()
    return {
        "id": item_id,
        "findings": out["findings"],
        "severity": out["severity"],
        "needs_review": out["needs_review"],
        "pain_score": out["pain_score"],
        "evidence": out["evidence"],
        # Longer than triage reads: only the start was triaged, and a nurse reads the rest.
        "truncated": out["truncated"],
    }


def _problem(item: dict[str, Any]) -> str | None:
    text = item.get("text")
    if "text" not in item:
        return "missing text"
    if not isinstance(text, str):
        return "text must be a string"
    if not text.strip():
        return "empty text"
    question = item.get("question")
    if question is not None and question not in QUESTIONS:
        return f"unknown question {question!r}; expected one of {', '.join(QUESTIONS)}"
    lang = item.get("lang")
    if lang is not None and lang not in LANGS:
        return f"unknown lang {lang!r}; expected en or es"
    channel = item.get("channel")
    if channel is not None and channel not in CHANNELS:
        return f"unknown channel {channel!r}; expected sms or voice"
    sender = item.get("sender")
    if sender is not None and sender not in SENDERS:
        return f"unknown sender {sender!r}; expected patient or caregiver"
    return None
