"""How calls sound: one voice per language, for patients' check-ins and clinicians' pages."""

import re
from typing import Any

VOICES = {"en": ("Polly.Joanna", "en-US"), "es": ("Polly.Lupe", "es-US")}


def voice_for(lang: str) -> tuple[str, str]:
    """The voice and the speech language for a language code; English when unknown."""
    return VOICES.get(lang, VOICES["en"])


def say(node: Any, text: str, lang: str) -> None:
    """Add <Say> to a TwiML response or gather, in the language's voice."""
    voice, language = voice_for(lang)
    node.say(text, voice=voice, language=language)


def spoken_digits(text: str) -> str:
    """911 said as "nine one one" ("nueve uno uno"), never "nine hundred eleven"."""
    return re.sub(r"\b911\b", "9 1 1", text)


def spoken_number(e164: str) -> str:
    """Digits read one by one ("3 1 2 ..."), without the +1 a caller never dials."""
    digits = e164[2:] if e164.startswith("+1") else e164.lstrip("+")
    return " ".join(digits)
