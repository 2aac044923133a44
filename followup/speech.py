"""How calls sound: one voice per language, for patients' check-ins and clinicians' pages."""

VOICES = {"en": ("Polly.Joanna", "en-US"), "es": ("Polly.Lupe", "es-US")}


def voice_for(lang: str) -> tuple[str, str]:
    """The voice and the speech language for a language code; English when unknown."""
    return VOICES.get(lang, VOICES["en"])
