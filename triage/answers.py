"""Whether a reply answers its check-in question, and whether a caller confirmed who they are."""

from __future__ import annotations

import re
from collections.abc import Collection

from triage.cues import ANSWER_WORDS, IDENTITY_YES

_WORD = re.compile(r"\w+")
_ZERO = re.compile(r"\b0\b")
# Speech recognition ends a short answer with punctuation: "Sí.", "¿yes?".
_SPEECH_MARKS = " .!?¡¿"


def answers_question(
    question: str,
    body: str,
    findings: Collection[object],
    needs_review: bool,
    pain_score: int | None,
) -> bool:
    """Whether a reply answers its question; one that does not is asked once more.

    A reply with findings, or sent to a nurse, answers any question. Otherwise "pain" needs a
    pain score; "checklist" a pain score, a "0" or a yes/no word; "general" anything not blank;
    every other (yes/no) question a yes/no word (cues.ANSWER_WORDS), in English or Spanish.
    """
    if findings or needs_review:
        return True
    if question == "pain":
        return pain_score is not None
    if question == "checklist":
        return pain_score is not None or bool(_ZERO.search(body)) or _has_answer_word(body)
    if question == "general":
        return bool(body.strip())
    return _has_answer_word(body)


def confirms_identity(speech: str, digits: str) -> bool:
    """Whether a caller confirmed being the patient: keypad 1, or speech that is exactly one of
    cues.IDENTITY_YES once outer spaces and punctuation are stripped ("Sí." counts, "yes but"
    does not)."""
    return digits == "1" or speech.strip(_SPEECH_MARKS).lower() in IDENTITY_YES


def _has_answer_word(body: str) -> bool:
    return not ANSWER_WORDS.isdisjoint(_WORD.findall(body.lower()))
