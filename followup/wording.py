"""Patient-facing wording, rendered from templates/messages/<lang>/ in the patient's language."""

import datetime as dt
from functools import cache

from django.conf import settings
from django.template import Context, Engine, Template
from django.utils import timezone

import triage
from followup import roster
from followup.models import CareTeam, SafetyWording

LANGUAGES = ("en", "es")


@cache
def _engine() -> Engine:
    # Texts are not HTML: "O'Brien" must stay "O'Brien".
    return Engine(dirs=[str(d) for d in settings.TEMPLATES[0]["DIRS"]], autoescape=False)


def render_message(name: str, lang: str, **context: object) -> str:
    if lang not in LANGUAGES:
        lang = "en"
    return _render(_engine().get_template(f"messages/{lang}/{name}.txt"), context)


def render_checklist(items: list[str], pain: bool, lang: str) -> str:
    """The numbered form for these symptom questions (and the pain score when asked)."""
    if lang not in LANGUAGES:
        lang = "en"
    labels = [render_message(f"checklist_item_{code}", lang) for code in items]
    template = _engine().get_template(f"messages/{lang}/checklist.txt")
    # One item a line: phones show line breaks, and a list is easier to read than a paragraph.
    text = template.render(Context({"items": labels, "pain": pain}, autoescape=False))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def safety_kind(team: CareTeam, severity: int, when: dt.datetime) -> str | None:
    """Which safety reply a finding of this tier gets at this time; None below urgent.

    Texts and calls use the same choice, so every channel gives the same advice.
    """
    if severity >= triage.Severity.EMERGENCY:
        return SafetyWording.Kind.EMERGENCY
    if severity >= triage.Severity.URGENT:
        if team.in_business_hours(when):
            return SafetyWording.Kind.URGENT
        return SafetyWording.Kind.URGENT_AFTER_HOURS
    return None


def render_safety_reply(team: CareTeam, kind: str, lang: str, clinic_phone: str = "") -> str:
    """A safety reply in the team's own wording when it has one, else the default.

    `clinic_phone` replaces the team's number as written (a call speaks it digit by digit).
    """
    context = {
        "clinic_phone": clinic_phone or team.clinic_phone,
        "team": team.name,
        "on_call": roster.on_call(team, timezone.now()) is not None,
    }
    own = team.safety_wordings.filter(kind=kind, language=lang).first()
    if own is not None:
        return _render(_engine().from_string(own.text), context)
    return render_message(kind, lang, **context)


def _render(template: Template, context: dict[str, object]) -> str:
    # Templates end with a newline and may wrap; an SMS is one paragraph.
    return " ".join(template.render(Context(context, autoescape=False)).split())
