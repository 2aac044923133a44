"""The message catalogue as a whole: every patient text and voice prompt, in both languages.

Each is rendered for a real care team and patient with long names, then checked for blanks,
plurals, the SMS segment budget (counted as the pacing code counts) and, in English, the
reading grade.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from followup.consent import Keyword, apply_keyword
from followup.models import OutboundMessage, Question, SafetyWording
from followup.throttle import segments
from followup.wording import LANGUAGES, render_checklist, render_message, render_safety_reply
from tests.factories import make_enrolled_patient, make_team, make_user

# Long, real-looking names: a team name with an apostrophe and "&", names with accents.
TEAM = "St. Luke's Orthopedic & Spine Center"
FIRST_NAMES = {"en": "Christopher", "es": "María Guadalupe"}
CLINIC_PHONE = "+13125550100"

MESSAGES = Path(settings.TEMPLATES[0]["DIRS"][0]) / "messages"
# Texts to staff are English only and not in the patient catalogue.
STAFF = {"page_acknowledged_sms", "page_nothing_open_sms", "page_sms", "page_voice"}
STAFF |= {"page_voice_acknowledged", "page_voice_no_answer"}
SAFETY = {"safety_emergency", "safety_urgent", "safety_urgent_after_hours"}
SAFETY |= {"safety_unknown_sender"}
KEYWORDS = {"keyword_help", "keyword_start", "keyword_stop"}
# Parts of a text, not texts: they are checked inside the whole they belong to.
PARTS = {"intro", "reminder_intro", "reask_intro"} | {
    name.stem for name in (MESSAGES / "en").glob("checklist_item_*.txt")
}
CHECKLIST_ITEMS = [Question.NUMBNESS, Question.WEAKNESS, Question.BLADDER_BOWEL]
CHECKLIST_ITEMS.append(Question.WOUND_FEVER)


def catalogue(lang: str) -> set[str]:
    return {path.stem for path in (MESSAGES / lang).glob("*.txt")} - STAFF


def budget(name: str) -> int:
    return 2 if name in SAFETY | KEYWORDS else 3


# Flesch-Kincaid grade level (Kincaid et al. 1975), the measure US patient-education
# guidance uses: 0.39 * words per sentence + 11.8 * syllables per word - 15.59. Syllables are
# counted as vowel groups, less a silent final "e": close to a dictionary on short plain words.
# Numbers and phone numbers are not words; a line (a list item) ends a sentence.
def syllables(word: str) -> int:
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_grade(text: str) -> float:
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    sentences = max(len(re.findall(r"[.!?]+(?:\s|$)|\n", text.strip() + " ")), 1)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * len(words) / sentences + 11.8 * per_word - 15.59


def test_the_reading_grade_measure_tells_plain_from_clinical_words():
    assert reading_grade("Call 911 now. Your team has been told.") < 3
    clinical = "Our on-call clinician has been alerted regarding the drainage at your incision."
    assert reading_grade(clinical) > 8


def render_all(lang: str, team, patient) -> dict[str, str]:
    """Every patient text in `lang`, as the code renders it for this team and patient."""
    context = {
        "team": team.name,
        "clinic_phone": team.clinic_phone,
        "first_name": patient.first_name,
    }
    texts = {}
    for name in sorted(catalogue(lang) - PARTS - SAFETY - {"checklist", "welcome"}):
        texts[name] = render_message(name, lang, **context)
    intro = render_message("intro", lang, **context)
    for name in [n for n in texts if n.startswith("question_")]:
        texts[f"intro + {name}"] = f"{intro} {texts[name]}"
    form = render_checklist(CHECKLIST_ITEMS, pain=True, lang=lang)
    texts["checklist"] = form
    texts["intro + checklist"] = f"{intro} {form}"
    reminder = render_message("reminder_intro", lang, team=team.name)
    texts["reminder_intro + checklist"] = f"{reminder} {form}"
    texts["reask_intro + checklist"] = f"{render_message('reask_intro', lang)} {form}"
    for kind in SafetyWording.Kind.values:
        texts[kind] = render_safety_reply(team, kind, lang)
    texts["safety_unknown_sender"] = render_message("safety_unknown_sender", lang)
    welcome = OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME)
    texts["welcome"] = welcome.body
    return texts


@pytest.fixture
def long_names(db):
    def make(lang, on_call=True, **patient):
        team = make_team(
            name=TEAM,
            clinic_phone=CLINIC_PHONE,
            on_call=make_user(phone="+13125550901") if on_call else None,
        )
        patient, _ = make_enrolled_patient(
            care_team=team, language=lang, first_name=FIRST_NAMES[lang], **patient
        )
        return team, patient

    return make


def test_both_languages_have_the_same_messages():
    assert catalogue("en") == catalogue("es")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("on_call", [True, False])
def test_every_message_renders_whole_with_real_names(long_names, lang, on_call):
    team, patient = long_names(lang, on_call=on_call)
    for name, text in render_all(lang, team, patient).items():
        assert "{" not in text and "}" not in text, name
        # A blank placeholder leaves a space before punctuation or two spaces.
        assert not re.search(r"\s[.,:;?]|  |\(\s*\)", text), (name, text)
        if name.startswith(("intro", "reminder", "keyword", "welcome", "followup_complete")):
            assert TEAM in text, (name, text)
        if name.startswith("safety") and name != "safety_unknown_sender":
            assert "911" in text, name


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("on_call", [True, False])
def test_every_text_keeps_to_its_segment_budget(long_names, lang, on_call):
    team, patient = long_names(lang, on_call=on_call)
    over = {
        name: segments(text)
        for name, text in render_all(lang, team, patient).items()
        if not name.startswith("voice_") and segments(text) > budget(name.split(" + ")[-1])
    }
    assert over == {}


@pytest.mark.parametrize("on_call", [True, False])
def test_every_english_message_reads_at_a_sixth_grade_level_or_below(long_names, on_call):
    team, patient = long_names("en", on_call=on_call)
    hard = {
        name: round(reading_grade(text), 1)
        for name, text in render_all("en", team, patient).items()
        if reading_grade(text) > 6.0
    }
    assert hard == {}


CLINICAL_WORDS = {
    "en": ["drainage", "clinician", "alerted", "emergency department", "bowel", "incision"],
    "es": ["supuración", "intestino", "clínico", "alertado"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_uses_words_patients_do_not(long_names, lang):
    team, patient = long_names(lang)
    for name, text in render_all(lang, team, patient).items():
        for word in CLINICAL_WORDS[lang]:
            assert word not in text.lower(), (name, word)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_safety_message_puts_the_action_first(long_names, lang):
    team, patient = long_names(lang)
    texts = render_all(lang, team, patient)
    emergency = texts["safety_emergency"]
    assert emergency.startswith({"en": "Call 911", "es": "Llame al 911"}[lang])
    unknown = texts["safety_unknown_sender"]
    assert unknown.startswith({"en": "If this is an emergency, call 911", "es": "Si es"}[lang])


@pytest.mark.parametrize(
    ("lang", "english", "spanish"),
    [("en", "If this is an emergency, call 911", "Si es una emergencia, llame al 911")],
)
def test_the_unknown_sender_reply_is_in_english_and_spanish(lang, english, spanish):
    text = render_message("safety_unknown_sender", lang)
    assert english in text and spanish in text


@pytest.mark.parametrize(
    ("kind", "when", "expected"),
    [
        (SafetyWording.Kind.URGENT, "en", "If no one calls within 2 hours, call +13125550100"),
        (SafetyWording.Kind.URGENT, "es", "Si nadie le llama en 2 horas, llame al +13125550100"),
        (
            SafetyWording.Kind.URGENT_AFTER_HOURS,
            "en",
            "If no one calls within 1 hour, call +13125550100",
        ),
        (
            SafetyWording.Kind.URGENT_AFTER_HOURS,
            "es",
            "Si nadie le llama en 1 hora, llame al +13125550100",
        ),
    ],
)
def test_an_urgent_reply_promises_no_call_but_says_what_to_do_if_none_comes(
    long_names, kind, when, expected
):
    team, _ = long_names(when)
    text = render_safety_reply(team, kind, when)
    assert expected in text
    assert "will call you" not in text and "le llamará" not in text


def test_the_numbered_form_keeps_one_item_a_line():
    form = render_checklist(CHECKLIST_ITEMS, pain=True, lang="en")
    lines = form.splitlines()
    assert lines[1].startswith("1 ") and lines[4].startswith("4 ") and lines[5] == "0 none of these"
    assert lines[-1].endswith("like 0 PAIN 3")


@pytest.mark.parametrize(
    ("lang", "item", "expected"),
    [
        ("en", Question.NUMBNESS, "legs or feet"),
        ("en", Question.BLADDER_BOWEL, "between your legs or around your bottom, can't pee"),
        ("es", Question.NUMBNESS, "piernas o pies"),
        ("es", Question.BLADDER_BOWEL, "entre las piernas o en las nalgas, no puede orinar"),
    ],
)
def test_saddle_numbness_and_retention_are_asked_with_the_emergency_question(lang, item, expected):
    # A "yes" to bladder_bowel is an emergency; a "yes" to numbness is urgent: the saddle area
    # and being unable to pee belong with the first.
    assert expected in render_message(f"checklist_item_{item}", lang)
    question = render_message(f"question_{item}", lang)
    assert all(word in question for word in expected.split(",")[0].split()[-3:])


def welcome(lang, **patient):
    patient, _ = make_enrolled_patient(welcomed=False, language=lang, **patient)
    return OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME).body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [
        # Surgery this many days ago leaves the default protocol's days 60 and 90, or only 90.
        ("en", 89, "on 1 day over 1 week,"),
        ("es", 89, "1 vez en 1 semana,"),
        ("en", 59, "on 2 days over 4 weeks,"),
        ("es", 59, "2 veces en 4 semanas,"),
    ],
)
def test_the_welcome_counts_days_and_weeks_in_words_that_agree(lang, days, expected):
    surgery = {"date": timezone.localdate() - dt.timedelta(days=days)}
    assert expected in welcome(lang, surgery=surgery)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "channel", "expected"),
    [
        ("en", "voice", "we will call you"),
        ("en", "sms", "we will text you"),
        ("es", "voice", "Le llamaremos"),
        ("es", "sms", "Le escribiremos"),
    ],
)
def test_the_welcome_names_the_channel_the_patient_chose(lang, channel, expected):
    assert expected in welcome(lang, preferred_channel=channel, accepts_calls=True)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("keyword", [Keyword.HELP, Keyword.START, Keyword.STOP])
def test_keyword_replies_name_the_program_for_a_real_team(long_names, lang, keyword):
    _, patient = long_names(lang)
    text = apply_keyword(patient, keyword, twilio_replied=False)
    assert TEAM in text and "911" in text
    if keyword is not Keyword.STOP:
        stop, help_ = {"en": ("STOP", "HELP"), "es": ("PARAR", "AYUDA")}[lang]
        assert stop in text
        assert {"en": "Msg & data rates may apply", "es": "cargos por mensajes y datos"}[
            lang
        ] in text
        assert {"en": "a few on each check-in day", "es": "algunos en cada fecha"}[lang] in text
        if keyword is Keyword.START:
            assert help_ in text
