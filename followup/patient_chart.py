"""The pain chart's data: pain by post-op day, and red-flag findings as points on it."""

import datetime as dt
from typing import Any

from followup.findings import finding_words
from followup.models import Answer, Patient, Severity


def chart_data(patient: Patient) -> dict[str, Any]:
    """Pain scores and red flags by post-op day; two queries whatever the history's length."""
    surgery = patient.surgeries.order_by("-date").only("date").first()
    answers = Answer.objects.filter(patient=patient).order_by("created_at")
    answers = answers.only("created_at", "pain_score", "findings", "severity")
    tz = patient.tz
    pain: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    for answer in answers:
        day = _postop_day(answer.created_at, surgery.date if surgery else None, tz)
        if answer.pain_score is not None:
            pain.append({"day": day, "score": answer.pain_score})
        if answer.severity >= Severity.URGENT and answer.findings:
            flags.append(
                {
                    "day": day,
                    "severity": Severity(answer.severity).label,
                    "findings": [finding_words(code) for code in answer.findings],
                }
            )
    return {
        "surgery_date": surgery.date.isoformat() if surgery else None,
        "pain": pain,
        "flags": flags,
    }


def _postop_day(when: dt.datetime, surgery: dt.date | None, tz: dt.tzinfo) -> int | None:
    return (when.astimezone(tz).date() - surgery).days if surgery else None
