"""The fail-safe net: unexplained hints at a red-flag area go to a nurse; calm replies stay calm."""

import re

import pytest

from triage import Severity, evaluate
from triage.lexicon import CLASSES, NET_CLASSES
from triage.rules import NET_RULES, QUESTIONS, YES_NO_QUESTIONS

KNOWN = set(CLASSES) | set(NET_CLASSES)


def test_net_rules_are_readable_data():
    ids = [r.id for r in NET_RULES]
    assert len(ids) == len(set(ids))
    for rule in NET_RULES:
        assert re.fullmatch(r"net\.[a-z_]+", rule.id), rule.id
        assert rule.review, rule.id
        assert "clinical-triage.md 4.3" in rule.source, rule.id
        for spec in (*rule.near, *rule.not_near, *([rule.head] if rule.head else [])):
            assert set(spec.split("|")) <= KNOWN, (rule.id, spec)
        assert set(rule.questions) <= set(QUESTIONS), rule.id
    answered = {r.questions[0] for r in NET_RULES if r.answer}
    assert answered == set(YES_NO_QUESTIONS)


# (question, text, lang, channel, code, tier): the net sends these to a nurse.
CAUGHT = [
    ("general", "legs feel off today", "en", "sms", "numbness", Severity.URGENT),
    ("general", "my legs are like spaghetti this morning", "en", "sms", "weakness",
     Severity.URGENT),
    ("general", "something's not right down below", "en", "sms", "saddle_numbness",
     Severity.EMERGENCY),
    ("general", "pee feels different since yesterday", "en", "sms", "bladder", Severity.EMERGENCY),
    ("general", "sat on the toilet 20 min and not a drop came out", "en", "sms", "bladder",
     Severity.EMERGENCY),
    ("general", "incision looks angry today", "en", "sms", "wound", Severity.URGENT),
    ("general", "heart is racing and I can't get a full lungful", "en", "sms", "breathing",
     Severity.EMERGENCY),
    ("general", "can barely swallow my own spit since yesterday", "en", "sms", "swallowing",
     Severity.URGENT),
    ("general", "the side of my neck where they operated puffed up", "en", "sms", "swallowing",
     Severity.URGENT),
    ("general", "my calf is all puffed up on the right and its hot", "en", "voice", "dvt",
     Severity.URGENT),
    ("general", "honestly everyone would be happier without me around", "en", "sms",
     "self_harm", Severity.EMERGENCY),
    ("general", "las piernas las siento raras", "es", "sms", "numbness", Severity.URGENT),
    ("general", "siento algo raro alla abajo", "es", "sms", "saddle_numbness",
     Severity.EMERGENCY),
    ("general", "no siento nada cuando voy al baño", "es", "voice", "bladder", Severity.EMERGENCY),
    ("bladder_bowel", "a couple of times I didn't make it", "en", "sms", "bladder",
     Severity.EMERGENCY),
    ("weakness", "took my walker back out", "en", "sms", "weakness", Severity.URGENT),
]  # fmt: skip


@pytest.mark.parametrize(("question", "text", "lang", "channel", "code", "tier"), CAUGHT)
def test_the_net_sends_unexplained_hints_to_a_nurse(question, text, lang, channel, code, tier):
    a = evaluate(text, question, lang, channel)
    assert a.needs_review, a
    assert code in a.codes, a
    assert a.severity == tier, a


# (question, text): calm, negated, resolved, someone else's or hypothetical: no review.
CALM = [
    ("general", "legs feel good today, walked around the block"),
    ("general", "peeing normally, no issues down there"),
    ("general", "walking better every day"),
    ("general", "no problems down there"),
    ("general", "incision healing fine, no drainage"),
    ("general", "a little sore at the incision but nothing crazy"),
    ("general", "my toes feel normal again, the weird tingling stopped"),
    ("general", "can't wait to get back to work"),
    ("general", "had a weird dream lol, otherwise fine"),
    ("general", "burning when I pee"),
    ("general", "peeing more often"),
    ("general", "the tape on my incision is peeling"),
    ("general", "can I take a hot shower with my incision"),
    ("general", "both ankles a bit puffy in the evening"),
    ("general", "little pink along the staples but not spreading, no drainage, no fever"),
    ("general", "I didn't notice any blood when I peed"),
    ("general", "my husband's legs feel weird"),
    ("general", "what if my legs feel weird?"),
    ("general", "ahi abajo todo bien"),
    ("bladder_bowel", "had a BM finally!"),
    ("bladder_bowel", "everything is working down there"),
    ("bladder_bowel", "no changes"),
    ("bladder_bowel", "N"),
    ("numbness", "2"),
    ("numbness", "si me da hormigueo le aviso"),
    ("weakness", "no, getting stronger"),
    ("wound_fever", "nope, healing nicely"),
]


@pytest.mark.parametrize(("question", "text"), CALM)
def test_the_net_leaves_calm_replies_calm(question, text):
    a = evaluate(text, question)
    assert not a.needs_review, a
    assert a.severity < Severity.URGENT, a


def test_a_specific_rule_explains_the_words_before_the_net():
    a = evaluate("my left foot is numb")
    assert a.rules == {"numbness": "numbness.limb"}
    assert not a.needs_review


def test_getting_off_the_toilet_is_about_moving_not_the_bladder():
    a = evaluate("my legs wont work i cant get off the toilet")
    assert a.codes == ["weakness"]
