"""Patient-facing wording, rendered from templates/messages/<lang>/ in the patient's language."""

from functools import cache

from django.conf import settings
from django.template import Context, Engine

LANGUAGES = ("en", "es")


@cache
def _engine() -> Engine:
    # Texts are not HTML: "O'Brien" must stay "O'Brien".
    return Engine(dirs=[str(d) for d in settings.TEMPLATES[0]["DIRS"]], autoescape=False)


def render_message(name: str, lang: str, **context: object) -> str:
    if lang not in LANGUAGES:
        lang = "en"
    text = _engine().get_template(f"messages/{lang}/{name}.txt").render(Context(context))
    # Templates end with a newline and may wrap; an SMS is one paragraph.
    return " ".join(text.split())
