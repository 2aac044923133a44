"""Red-flag triage of patients' free-text replies after spinal fusion: pure Python, no Django."""

from triage.answers import answers_question, confirms_identity
from triage.history import PriorAnswer, apply_history
from triage.model import (
    DEFAULT_CONFIG,
    MAX_TRIAGE_CHARS,
    Assessment,
    Finding,
    Severity,
    TriageConfig,
    TriageError,
)
from triage.parser import evaluate

__all__ = [
    "DEFAULT_CONFIG",
    "MAX_TRIAGE_CHARS",
    "Assessment",
    "Finding",
    "PriorAnswer",
    "Severity",
    "TriageConfig",
    "TriageError",
    "answers_question",
    "apply_history",
    "confirms_identity",
    "evaluate",
]
