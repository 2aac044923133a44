"""Everyday wordings of red flags and their calm look-alikes, one per vocabulary gap."""

import pytest

from triage import Severity, evaluate

RED_FLAGS = [
    # (text, channel, lang, code)
    ("my foot feels like novocaine", "sms", "en", "numbness"),
    ("touching my shin is like touching it through a glove", "sms", "en", "numbness"),
    ("banged my foot on the door and didnt even feel it", "sms", "en", "numbness"),
    ("my hand is sleeping since morning", "sms", "en", "numbness"),
    ("didnt feel the bath water burning my feet", "sms", "en", "numbness"),
    ("the seat area went numb", "sms", "en", "saddle_numbness"),
    ("my private place is numb", "sms", "en", "saddle_numbness"),
    ("no feeling dwn there", "sms", "en", "saddle_numbness"),
    ("went to the loo and nothing happens", "sms", "en", "bladder"),
    ("didnt notice until it was trickling down my leg", "voice", "en", "bladder"),
    ("found a brown stain in my underwear", "sms", "en", "bowel"),
    ("me hice encima", "sms", "es", "bowel"),
    ("my left knee keeps going out from under me", "sms", "en", "weakness"),
    ("cant get my right foot to lift when i walk", "sms", "en", "weakness"),
    ("the cup slipped right out of my hand", "sms", "en", "weakness"),
    ("the leg is not obey me", "sms", "en", "weakness"),
    ("my food keeps catching on the rug", "voice", "en", "weakness"),
    ("like a live wire down my calf", "sms", "en", "radiating_pain"),
    ("burning down the back of my left thigh", "sms", "en", "radiating_pain"),
    ("dolor como corriente que baja por la pierna", "sms", "es", "radiating_pain"),
    ("the pills wear off after an hour", "sms", "en", "severe_pain"),
    ("my back is screaming", "sms", "en", "severe_pain"),
    ("my teeth kept chattering all night", "sms", "en", "fever"),
    ("burning up then freezing", "sms", "en", "fever"),
    ("me aprieta el pecho", "sms", "es", "breathing"),
    ("they would be better off if i never woke up", "sms", "en", "self_harm"),
    ("ended up on the carpet this morning", "sms", "en", "fall"),
]


@pytest.mark.parametrize(("text", "channel", "lang", "code"), RED_FLAGS)
def test_everyday_wordings_are_read(text, channel, lang, code):
    a = evaluate(text, "general", lang, channel)
    assert code in {f.code for f in a.findings}, (text, a.findings)
    assert a.severity >= Severity.URGENT


def test_feeling_a_bit_blue_is_mood_not_an_alarm():
    a = evaluate("feeling a bit blue today", "general")
    assert [f.code for f in a.findings] == ["mood"]


@pytest.mark.parametrize(
    "text",
    [
        "had a big mess in the kitchen, grandkids baked a cake",  # no clothes, not a bowel accident
        "the pills work fine, pain is a 3",
        "cant get comfy in my seat at church",  # a chair seat, not the saddle area
        "my meds wear off after 4 hours like they should",
        "took tylenol and still hurts a little",
    ],
)
def test_calm_look_alikes_stay_calm(text):
    a = evaluate(text, "general")
    assert a.severity < Severity.URGENT and not a.needs_review, a.findings


def test_food_that_sticks_is_swallowing_not_a_foot():
    a = evaluate("my food keeps getting stuck", "general", channel="voice")
    assert [f.code for f in a.findings] == ["swallowing"]


def test_constipation_since_a_named_day_is_several_days():
    a = evaluate("no bm since saturday, today is monday", "general")
    assert [f.code for f in a.findings] == ["constipation"]
    assert evaluate("no bm today", "general").findings == ()


# Words read once: "down", "low" and "feel" inside a place or a lost sensation are not a mood.
SHARED_WORDS = [
    # (text, lang, exact codes)
    ("cant feel down there", "en", {"saddle_numbness"}),
    ("can't feel anything down below", "en", {"saddle_numbness"}),
    ("I can't feel down there when I wipe", "en", {"saddle_numbness"}),
    ("no siento nada ahí abajo", "es", {"saddle_numbness"}),
    ("no siento nada allá abajo", "es", {"saddle_numbness"}),
    ("tingling feeling down my leg", "en", {"numbness"}),
    ("burning feeling down the back of my leg", "en", {"radiating_pain"}),
    ("feeling low back pain today", "en", set()),
    # True moods, alone or beside a red flag.
    ("I feel down lately", "en", {"mood"}),
    ("ive been feeling down the last few days", "en", {"mood"}),
    ("feeling low, no energy", "en", {"mood"}),
    ("me siento decaído", "es", {"mood"}),
    ("me siento bajo de ánimo", "es", {"mood"}),
    ("cant feel down there and I feel so down about it", "en", {"saddle_numbness", "mood"}),
    ("cant feel my legs and feeling down", "en", {"numbness", "mood"}),
]


@pytest.mark.parametrize(("text", "lang", "codes"), SHARED_WORDS)
def test_words_inside_a_red_flag_feed_no_other_finding(text, lang, codes):
    a = evaluate(text, "general", lang)
    assert set(a.codes) == codes, (text, a.findings)


def test_cant_feel_down_there_quotes_the_whole_phrase_for_the_groin():
    a = evaluate("cant feel down there")
    assert a.evidence == {"saddle_numbness": "cant feel down there"}
