"""The rule table: which phrases, in which context, make which finding at which tier."""

from __future__ import annotations

from dataclasses import dataclass

from triage.model import Severity

E = Severity.EMERGENCY
U = Severity.URGENT
R = Severity.ROUTINE

YES_NO_QUESTIONS = ("numbness", "weakness", "bladder_bowel", "wound_fever")
QUESTIONS = ("general", "pain", *YES_NO_QUESTIONS)

# Finding codes each check-in question asks about; a "yes" answers for them.
QUESTION_CODES: dict[str, frozenset[str]] = {
    "general": frozenset(),
    "pain": frozenset({"severe_pain", "radiating_pain"}),
    "numbness": frozenset({"numbness", "saddle_numbness"}),
    "weakness": frozenset({"weakness"}),
    "bladder_bowel": frozenset({"bladder", "bowel", "constipation"}),
    "wound_fever": frozenset({"fever", "wound", "csf_leak"}),
}

# Tier order for output and ties; LABELING.md's table order.
CODES = (
    "numbness", "saddle_numbness", "weakness", "bladder", "bowel", "constipation",
    "severe_pain", "radiating_pain", "fever", "wound", "dvt", "breathing", "csf_leak",
    "swallowing", "fall", "mood", "self_harm",
)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One clinician-readable rule.

    It reads: when a phrase of class `head` is present (context.py decides "present"), and a
    phrase of each class in `near` is close to it (same clause, within `reach` tokens; `reach`
    None means anywhere in the reply; "A|B" means either), no `not_near` phrase is close and no
    `not_in_reply` phrase appears at all, the reply has finding `code` at `tier`.
    `questions` limits a rule to replies to those check-in questions ("yes" means something only
    against the question); `answer` rules stand only when nothing else in the reply names the
    question's findings; a `lead` head must open the reply; a `direct` site must touch the head
    with no other symptom word between. `review` sends the reply to a nurse because the words
    only hint at the finding. Codes and tiers follow LABELING.md; `source` cites the line.
    `explained_by` (fail-safe net rules only): codes that, once found by a specific rule,
    already account for the words, so the net stays quiet. `stands_negated` (net rules): the
    words count even when negated, resolved or hypothetical, and only someone else's words drop
    them. `days`: a number of days stated near the words decides the finding (TriageConfig's
    constipation_min_days and constipation_urgent_days). `emergency_setting`: a TriageConfig
    flag that, when on, makes the finding an emergency. `outweighs` (number rules): word rules
    that a measured number below this rule's threshold overrules. `same`: the reply says "the
    same as last time"; history.apply_history keeps the finding only when the last check-in had
    it, and with no history a nurse reads it. `far_denial_reviewed`: a denial that does not
    stand right beside the words (a transcript with no stops), or an "if", sends them to a nurse
    instead of dropping them.
    """

    id: str
    code: str
    tier: Severity
    head: str
    source: str
    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    not_in_reply: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    answer: bool = False
    lead: bool = False
    direct: bool = False
    review: bool = False
    reach: int | None = 6
    explained_by: tuple[str, ...] = ()
    stands_negated: bool = False
    days: bool = False
    emergency_setting: str = ""
    outweighs: tuple[str, ...] = ()
    same: bool = False
    far_denial_reviewed: bool = False


L = "LABELING.md"
CES = "clinical-triage.md 1.1 cauda equina"
ANS = "LABELING.md question field; clinical-triage.md 4.2 menu replies"
VAGUE = "LABELING.md rules: unclear hint at a red flag goes to a nurse"
SAME = '"same" repeats the last answer, which only the history knows'
SITES = "LIMB|ONE_SIDE|BILATERAL"
NOT_SYMPTOM_ANSWER = ("OTHER_PREDICATE", "STRONGER", "WORKING_FINE")

RULES: tuple[Rule, ...] = (
    # --- saddle_numbness (emergency) ---------------------------------------------------
    Rule("saddle_numbness.site", "saddle_numbness", E, "NUMB", f"{L} saddle_numbness; {CES}",
         near=("SADDLE",)),
    Rule("saddle_numbness.cant_feel", "saddle_numbness", E, "CANT_FEEL",
         f"{L} saddle_numbness; {CES}", near=("SADDLE",), direct=True),
    Rule("saddle_numbness.asleep", "saddle_numbness", E, "ASLEEP", f"{L} saddle_numbness",
         near=("SADDLE",)),
    Rule("saddle_numbness.dead", "saddle_numbness", E, "DEAD", f"{L} saddle_numbness; {CES}",
         near=("SADDLE",)),
    Rule("saddle_numbness.urge_lost", "saddle_numbness", E, "URGE_LOSS",
         f"{L} saddle_numbness: \"can't feel when I wipe\"; {CES}", near=("SADDLE",), direct=True),
    Rule("saddle_numbness.vague", "saddle_numbness", E, "VAGUE", f"{VAGUE}; {CES}",
         near=("SADDLE",), not_in_reply=("URINE",), review=True),
    Rule("saddle_numbness.answer", "saddle_numbness", E, "SADDLE", ANS,
         questions=("numbness",), answer=True, not_near=NOT_SYMPTOM_ANSWER, reach=None),
    # --- numbness (urgent) ----------------------------------------------------------------
    Rule("numbness.bilateral", "numbness", U, "NUMB", f"{L} numbness; clinical-triage.md 1.2",
         near=("BILATERAL",), emergency_setting="bilateral_numbness_emergency"),
    Rule("numbness.limb", "numbness", U, "NUMB", f"{L} numbness", near=("LIMB",)),
    Rule("numbness.reported", "numbness", U, "NUMB", f"{L} numbness",
         not_near=("LIMB", "SADDLE", "TRUNK", "WOUND_SITE")),
    Rule("numbness.cant_feel", "numbness", U, "CANT_FEEL", f"{L} numbness; clinical-triage.md 4.2",
         near=("LIMB",), direct=True),
    Rule("numbness.asleep", "numbness", U, "ASLEEP", f"{L} numbness (\"asleep\")",
         near=("LIMB",)),
    Rule("numbness.vague", "numbness", U, "VAGUE", VAGUE, near=("LIMB",), review=True),
    # "Stubbed my toe and didn't even feel it": an injury not felt is lost feeling, unless the
    # words are about wetting or soiling oneself.
    Rule("numbness.unaware", "numbness", U, "UNAWARE", f"{L} numbness; {VAGUE}", near=("LIMB",),
         not_near=("URINE", "PEE_ACT", "POOP", "POOP_ACT", "CLOTHES", "TOILET"), review=True),
    Rule("numbness.answer_yes", "numbness", U, "YES", ANS, questions=("numbness",),
         answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER, reach=None),
    Rule("numbness.answer_site", "numbness", U, SITES, ANS, questions=("numbness",),
         answer=True, not_near=NOT_SYMPTOM_ANSWER, reach=None),
    Rule("numbness.answer_unsure", "numbness", U, "UNSURE_ANSWER", f"{ANS}; {VAGUE}",
         questions=("numbness",), answer=True, lead=True, review=True),
    Rule("numbness.answer_same", "numbness", U, "SAME_ANSWER", f"{ANS}; {SAME}",
         questions=("numbness",), answer=True, lead=True, review=True, same=True),
    # --- weakness (urgent; emergency when both legs, sudden, worsening, cannot stand) -----
    Rule("weakness.cannot_stand", "weakness", E, "CANT_STAND", f"{L} weakness; {CES}"),
    Rule("weakness.cannot_move", "weakness", E, "CANT_MOVE",
         "clinical-triage.md 1.1 paralysis", near=("LIMB",)),
    Rule("weakness.bilateral", "weakness", E, "WEAK", f"{L} weakness: both legs",
         near=("BILATERAL",)),
    Rule("weakness.sudden", "weakness", E, "WEAK", f"{L} weakness: sudden", near=("SUDDEN",)),
    Rule("weakness.worsening", "weakness", E, "WEAK", f"{L} weakness: rapidly worsening",
         near=("WORSENING",)),
    Rule("weakness.limb", "weakness", U, "WEAK", f"{L} weakness", near=("LIMB",)),
    Rule("weakness.reported", "weakness", U, "WEAK", f"{L} weakness; {VAGUE}",
         not_near=("LIMB", "TIRED", "BREATH_WORD", "VOICE_CHANGE"), review=True),
    Rule("weakness.dead", "weakness", U, "DEAD", VAGUE, near=("LIMB",), review=True),
    Rule("weakness.dead_bilateral", "weakness", E, "DEAD", VAGUE, near=("BILATERAL",),
         review=True),
    Rule("weakness.vague", "weakness", U, "WEAK_VAGUE", VAGUE, near=("LIMB",), review=True),
    Rule("weakness.unsteady", "weakness", U, "UNSTEADY", VAGUE, review=True),
    Rule("weakness.answer_yes", "weakness", U, "YES", f"{ANS}; tier unknown",
         questions=("weakness",), answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER,
         review=True, reach=None),
    Rule("weakness.answer_bilateral", "weakness", E, "BILATERAL", ANS,
         questions=("weakness",), answer=True, not_near=NOT_SYMPTOM_ANSWER, reach=None),
    Rule("weakness.answer_site", "weakness", U, "LIMB|ONE_SIDE", ANS, questions=("weakness",),
         answer=True, not_near=NOT_SYMPTOM_ANSWER, reach=None),
    Rule("weakness.answer_unsure", "weakness", U, "UNSURE_ANSWER", f"{ANS}; {VAGUE}",
         questions=("weakness",), answer=True, lead=True, review=True),
    Rule("weakness.answer_same", "weakness", U, "SAME_ANSWER", f"{ANS}; {SAME}",
         questions=("weakness",), answer=True, lead=True, review=True, same=True),
    Rule("weakness.answer_worsening", "weakness", E, "WORSENING",
         f"{ANS}; {L} weakness: rapidly worsening", questions=("weakness",), answer=True,
         not_near=NOT_SYMPTOM_ANSWER, review=True),
    # --- bladder and bowel (emergency), constipation (routine) ----------------------------
    Rule("bladder.reported", "bladder", E, "BLADDER", f"{L} bladder; {CES}"),
    Rule("bladder.leak", "bladder", E, "LEAK", f"{L} bladder: leaking", near=("URINE",)),
    Rule("bladder.leak_answer", "bladder", E, "LEAK", ANS, questions=("bladder_bowel",),
         not_near=("URINE", "WOUND_SITE", "CLEAR", "POOP")),
    Rule("bladder.leak_unclear", "bladder", E, "LEAK", VAGUE,
         questions=("general", "pain", "numbness", "weakness"),
         not_near=("URINE", "WOUND_SITE", "CLEAR", "WOUND_SIGN", "POOP"), review=True),
    Rule("bladder.hold_it", "bladder", E, "HOLD_IT", f"{L} bladder; {VAGUE}",
         not_near=("POOP",), review=True),
    Rule("bowel.hold_it", "bowel", E, "HOLD_IT", f"{L} bowel: accidents", near=("POOP",)),
    Rule("bladder.accident", "bladder", E, "ACCIDENT", f"{L} bladder: wetting self",
         near=("URINE|PEE_ACT",)),
    Rule("bladder.vague", "bladder", E, "BLADDER_VAGUE", f"{VAGUE}; {CES}", near=("PROBLEM",),
         review=True),
    Rule("bladder.answer_yes", "bladder", E, "YES", f"{ANS}; bladder or bowel unclear",
         questions=("bladder_bowel",), answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER,
         review=True, reach=None),
    Rule("bladder.answer_unsure", "bladder", E, "UNSURE_ANSWER", f"{ANS}; {VAGUE}",
         questions=("bladder_bowel",), answer=True, lead=True, review=True),
    Rule("bladder.answer_same", "bladder", E, "SAME_ANSWER", f"{ANS}; {SAME}",
         questions=("bladder_bowel",), answer=True, lead=True, review=True, same=True),
    Rule("bladder.answer_organ", "bladder", E, "BLADDER_ORGAN", f"{ANS}: \"bladder, yes\"",
         questions=("bladder_bowel",), answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER,
         review=True, reach=None),
    Rule("bowel.answer_organ", "bowel", E, "BOWEL_ORGAN", f"{ANS}: \"bowels\"",
         questions=("bladder_bowel",), answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER,
         review=True, reach=None),
    Rule("bladder.wet_clothes", "bladder", E, "PEE_ACT", f"{L} bladder: wetting self",
         near=("CLOTHES|LEAK_TRIGGER",), not_near=("POOP_ACT", "SWEAT")),
    Rule("bladder.soaked", "bladder", E, "SOAKED", f"{L} bladder: wetting self", near=("URINE",),
         not_near=("SWEAT", "WOUND_SITE", "BLOOD"), direct=True),
    Rule("bladder.cant_feel", "bladder", E, "CANT_FEEL", f"{L} bladder: can't feel urination",
         near=("URINE",), not_near=("LIMB", "SADDLE"), direct=True),
    Rule("bowel.reported", "bowel", E, "BOWEL", f"{L} bowel; {CES}"),
    Rule("bowel.soiled_clothes", "bowel", E, "POOP_ACT", f"{L} bowel accidents",
         near=("CLOTHES",)),
    Rule("bowel.accident", "bowel", E, "ACCIDENT", f"{L} rules: accident in my pants is bowel",
         near=("CLOTHES",), not_near=("URINE", "PEE_ACT")),
    Rule("bowel.accident_stool", "bowel", E, "ACCIDENT", f"{L} bowel", near=("POOP",)),
    Rule("bowel.accident_unclear", "bowel", E, "ACCIDENT", VAGUE,
         not_near=("CLOTHES", "URINE", "CAR"), review=True),
    Rule("bladder.urge_lost", "bladder", E, "URGE_LOSS",
         f"{L} bladder: can't feel urination; {CES}", near=("URINE|BLADDER_FULL",)),
    Rule("bowel.urge_lost", "bowel", E, "URGE_LOSS",
         f"{L} bowel: can't feel a bowel movement coming", near=("POOP|POOP_ACT",)),
    Rule("bladder.urge_lost_unclear", "bladder", E, "URGE_LOSS", f"{VAGUE}; {CES}",
         near=("TOILET",), not_near=("URINE", "POOP", "POOP_ACT", "BOWEL"), review=True),
    Rule("bladder.unaware", "bladder", E, "UNAWARE", f"{L} bladder: wetting self",
         near=("PEE_ACT|URINE",), not_near=("POOP_ACT", "POOP")),
    Rule("bowel.unaware", "bowel", E, "UNAWARE", f"{L} bowel accidents",
         near=("POOP_ACT|POOP",)),
    Rule("bladder.control", "bladder", E, "CONTROL_LOSS", f"{L} bladder: can't control",
         near=("URINE",), direct=True),
    Rule("bowel.control", "bowel", E, "CONTROL_LOSS", f"{L} bowel: can't control",
         near=("POOP",), direct=True),
    Rule("bladder.escape", "bladder", E, "ESCAPE", f"{L} bladder: leaking", near=("URINE",),
         not_near=("POOP",)),
    Rule("bowel.escape", "bowel", E, "ESCAPE", f"{L} bowel accidents", near=("POOP",),
         not_near=("CONSTIPATION",)),
    Rule("bowel.leak", "bowel", E, "LEAK", f"{L} bowel accidents", near=("POOP",),
         not_near=("URINE", "CONSTIPATION")),
    Rule("bladder.scant", "bladder", E, "SCANT", f"{L} bladder: retention; {CES}",
         near=("URINE|BLADDER_FULL",)),
    Rule("bladder.scant_answer", "bladder", E, "SCANT", f"{L} bladder: retention; {ANS}",
         questions=("bladder_bowel",), not_near=("POOP", "CONSTIPATION")),
    Rule("bladder.scant_toilet", "bladder", E, "SCANT", f"{L} bladder: retention; {VAGUE}",
         near=("TOILET",), not_near=("URINE", "POOP", "CONSTIPATION"), review=True),
    Rule("bladder.cant_go", "bladder", E, "CANT_GO", f"{L} bladder: retention",
         near=("URINE|BLADDER_FULL",), not_near=("POOP",)),
    Rule("bladder.full_none_out", "bladder", E, "BLADDER_FULL", f"{L} bladder: retention",
         near=("SCANT|CANT_GO",), reach=None),
    Rule("bladder.strain", "bladder", E, "STRAIN", f"{L} bladder: retention", near=("URINE",),
         not_near=("POOP",)),
    Rule("bladder.hold_bare", "bladder", E, "HOLD_BARE", f"{L} bladder: new urgency with accidents",
         near=("URINE|PEE_ACT",), not_near=("POOP", "POOP_ACT")),
    Rule("bladder.hold_bare_toilet", "bladder", E, "HOLD_BARE", f"{L} bladder; {VAGUE}",
         near=("TOILET",), not_near=("URINE", "PEE_ACT", "POOP", "POOP_ACT"), review=True),
    Rule("bowel.hold_bare", "bowel", E, "HOLD_BARE", f"{L} bowel accidents",
         near=("POOP|POOP_ACT",)),
    Rule("bladder.answer_both", "bladder", E, "BOTH", f"{ANS}: both bladder and bowel",
         questions=("bladder_bowel",), answer=True,
         not_near=(*NOT_SYMPTOM_ANSWER, "LIMB"),
         reach=None),
    Rule("bowel.answer_both", "bowel", E, "BOTH", f"{ANS}: both bladder and bowel",
         questions=("bladder_bowel",), answer=True,
         not_near=(*NOT_SYMPTOM_ANSWER, "LIMB"),
         reach=None),
    Rule("constipation.reported", "constipation", R, "CONSTIPATION",
         f"{L} constipation; clinical-triage.md 1.1 opioid constipation", days=True),
    Rule("constipation.strain", "constipation", R, "STRAIN", f"{L} constipation: straining",
         near=("POOP|TOILET|CONSTIPATION",), not_near=("URINE",), days=True),
    # --- pain ------------------------------------------------------------------------------
    Rule("severe_pain.words", "severe_pain", U, "SEVERE", f"{L} severe_pain: worst ever"),
    Rule("severe_pain.bad", "severe_pain", U, "PAIN_BAD", f"{L} severe_pain",
         near=("PAIN",)),
    Rule("severe_pain.bad_answer", "severe_pain", U, "PAIN_BAD", f"{L} severe_pain; {ANS}",
         questions=("pain",)),
    # "😫😫😫" for a pain score: distress without a number; a nurse asks how bad.
    Rule("severe_pain.faces_answer", "severe_pain", U, "PAIN_FACE", f"{ANS}; {VAGUE}",
         questions=("pain",), answer=True, lead=True, review=True),
    Rule("severe_pain.meds", "severe_pain", U, "MEDS_FAIL",
         f"{L} severe_pain: not controlled by medication", near=("MEDS|PAIN",),
         not_near=("CONSTIPATION",)),
    Rule("severe_pain.jump", "severe_pain", U, "PAIN_JUMP", f"{L} severe_pain: sudden big jump",
         near=("PAIN",)),
    Rule("radiating_pain.sciatica", "radiating_pain", U, "SCIATICA", f"{L} radiating_pain"),
    Rule("radiating_pain.shooting", "radiating_pain", U, "RADIATE", f"{L} radiating_pain",
         near=("LIMB",)),
    Rule("radiating_pain.quality", "radiating_pain", U, "RADIATE_WEAK", f"{L} radiating_pain",
         near=("LIMB", "PAIN|DOWN_MOTION")),
    Rule("radiating_pain.down", "radiating_pain", U, "PAIN", f"{L} radiating_pain",
         near=("DOWN_MOTION", "LIMB")),
    # --- fever and wound (urgent) ------------------------------------------------------------
    Rule("fever.reported", "fever", U, "FEVER_WORD", f"{L} fever without a number"),
    Rule("fever.chills", "fever", U, "FEVER_SIGN", f"{L} fever: chills or sweats"),
    Rule("fever.answer_yes", "fever", U, "YES", f"{ANS}; fever or wound unclear",
         questions=("wound_fever",), answer=True, lead=True, not_near=NOT_SYMPTOM_ANSWER,
         review=True, reach=None),
    Rule("fever.answer_unsure", "fever", U, "UNSURE_ANSWER", f"{ANS}; {VAGUE}",
         questions=("wound_fever",), answer=True, lead=True, review=True),
    Rule("fever.answer_same", "fever", U, "SAME_ANSWER", f"{ANS}; {SAME}",
         questions=("wound_fever",), answer=True, lead=True, review=True, same=True),
    Rule("fever.answer_both", "fever", U, "BOTH", f"{ANS}: both fever and wound",
         questions=("wound_fever",), answer=True,
         not_near=(*NOT_SYMPTOM_ANSWER, "LIMB"),
         reach=None),
    Rule("wound.answer_both", "wound", U, "BOTH", f"{ANS}: both fever and wound",
         questions=("wound_fever",), answer=True,
         not_near=(*NOT_SYMPTOM_ANSWER, "LIMB"),
         reach=None),
    Rule("wound.sign", "wound", U, "WOUND_SIGN", f"{L} wound", near=("WOUND_SITE",),
         not_near=("CLEAR",)),
    Rule("wound.answer_sign", "wound", U, "WOUND_SIGN", f"{L} wound; {ANS}",
         questions=("wound_fever",),
         not_near=("CLEAR", "LIMB", "CALF", "CHEST", "BREATH_WORD", "URINE", "TRUNK")),
    Rule("wound.pus", "wound", U, "WOUND_STRONG", f"{L} wound: pus"),
    Rule("wound.soaked", "wound", U, "SOAKED", f"{L} wound: bleeding or drainage through dressing",
         near=("WOUND_SITE|CLOTHES|DRAINAGE|LEAK",), not_near=("URINE", "FEVER_SIGN", "PEE_ACT")),
    Rule("wound.colored_drainage", "wound", U, "DRAINAGE|LEAK", f"{L} wound: drainage",
         near=("COLOR",), not_near=("URINE", "CHEST", "BREATH_WORD", "AIRWAY_FLUID")),
    Rule("wound.leak", "wound", U, "LEAK", f"{L} wound: drainage", near=("WOUND_SITE",),
         not_near=("CLEAR", "URINE")),
    Rule("wound.leak_answer", "wound", U, "LEAK", f"{L} wound; {ANS}",
         questions=("wound_fever",), not_near=("CLEAR", "URINE")),
    # --- csf_leak, dvt (urgent) -------------------------------------------------------------
    Rule("csf_leak.clear_fluid", "csf_leak", U, "DRAINAGE|LEAK",
         f"{L} csf_leak: clear watery fluid", near=("CLEAR",),
         not_near=("URINE", "DRINK", "COLOR")),
    Rule("csf_leak.headache", "csf_leak", U, "HEADACHE", f"{L} csf_leak: positional headache",
         near=("POSITIONAL",), reach=None),
    Rule("dvt.calf", "dvt", U, "DVT_SIGN", f"{L} dvt: calf, one leg", near=("CALF",),
         not_near=("DOWN_MOTION", "RADIATE", "BILATERAL")),
    Rule("dvt.one_leg", "dvt", U, "SWELL", f"{L} dvt: swelling in one leg", near=("LEG_ONE",),
         not_near=("BILATERAL", "WOUND_SITE")),
    Rule("dvt.one_leg_warm", "dvt", U, "DVT_WARM", f"{L} dvt: warmth or redness in one leg",
         near=("LEG_ONE",), not_near=("BILATERAL", "WOUND_SITE", "TRUNK", "RADIATE",
                                      "RADIATE_WEAK")),
    # --- breathing, swallowing (emergency) -----------------------------------------------------
    Rule("breathing.reported", "breathing", E, "BREATHING", f"{L} breathing"),
    Rule("breathing.chest", "breathing", E, "CHEST_SIGN", f"{L} breathing: chest pain",
         near=("CHEST",)),
    Rule("breathing.difficulty", "breathing", E, "BREATH_WORD", f"{L} breathing",
         near=("DIFFICULTY",)),
    Rule("breathing.cough_blood", "breathing", E, "COUGH", f"{L} breathing: coughing blood",
         near=("BLOOD",)),
    Rule("swallowing.airway", "swallowing", E, "SWALLOW|STUCK",
         f"{L} swallowing: breathing affected", near=("BREATHING",), reach=None),
    Rule("swallowing.voice_airway", "swallowing", E, "VOICE_CHANGE",
         f"{L} swallowing: voice change with breathing trouble", near=("BREATHING",), reach=None),
    Rule("swallowing.reported", "swallowing", U, "SWALLOW", f"{L} swallowing"),
    Rule("swallowing.stuck", "swallowing", U, "STUCK", f"{L} swallowing: food sticks",
         near=("SWALLOW_WORD",)),
    # --- fall, mood, self_harm ----------------------------------------------------------------
    Rule("fall.reported", "fall", U, "FALL", f"{L} fall"),
    Rule("fall.slipped", "fall", U, "SLIPPED", f"{L} fall; {VAGUE}", not_in_reply=("FALL",),
         review=True),
    Rule("mood.reported", "mood", R, "MOOD", f"{L} mood"),
    Rule("self_harm.reported", "self_harm", E, "SELF_HARM",
         f"{L} self_harm; clinical-triage.md 1.1 suicidality", far_denial_reviewed=True),
)  # fmt: skip

# Rules fired by numbers rather than words (numbers.py reads the numbers). A stated score below
# severe outweighs words like "killing me" or "terrible"; a measured temperature below the
# threshold outweighs the word "fever".
# fmt: off
SCORE_RULE = Rule("severe_pain.score", "severe_pain", U, "NUMBER", f"{L} severe_pain: 8-10/10",
                  outweighs=("severe_pain.words", "severe_pain.bad", "severe_pain.bad_answer"))
JUMP_RULE = Rule("severe_pain.jump_in_reply", "severe_pain", U, "NUMBER",
                 f"{L} severe_pain: sudden big jump (\"was a 3, now a 7\")")
TEMP_RULE = Rule("fever.temperature", "fever", U, "NUMBER", f"{L} fever: >= 101 F / 38.3 C",
                 outweighs=("fever.reported", "fever.chills"))
# fmt: on
NUMBER_RULES = (SCORE_RULE, JUMP_RULE, TEMP_RULE)

# --- fail-safe net -----------------------------------------------------------------------------
# The rules above know many wordings, but patients keep finding new ones. When a reply names a
# red-flag body area or function together with a word saying something changed there, and no
# rule above has explained it, a nurse reads it (clinical-triage.md 4.3: uncertain -> human
# review; LABELING.md: an unclear hint gets the most likely code). Every net finding is `review`.
# Heads are the area; `near` the change; NET_CALM near the area ("legs feel good") keeps it calm.
# Negation, resolution, hypotheticals and other people are judged on the area words as for
# any rule. A change word belongs to the nearest area word ("walked to the bathroom, chest
# tight" is about the chest). Per area word the first rule in this order that holds wins.
NET = "clinical-triage.md 4.3 uncertain -> nurse review"
NET_HINT = f"{NET}; {VAGUE}"
_CHANGE = "NET_CHANGE|NET_CHANGE_WEAK"
_LEG_CODES = (
    "numbness",
    "saddle_numbness",
    "weakness",
    "radiating_pain",
    "dvt",
    "fall",
    "severe_pain",
)

NET_RULES: tuple[Rule, ...] = (
    # "if I didn't wake up" reads as negated or hypothetical, yet is the warning sign.
    Rule("net.self_harm", "self_harm", E, "NET_SELF", f"{NET}; {L} self_harm",
         review=True, explained_by=("self_harm",), stands_negated=True),
    Rule("net.saddle", "saddle_numbness", E, "NET_SADDLE", f"{NET_HINT}; {CES}",
         near=(_CHANGE,), not_near=("NET_CALM", "NET_ROM"), review=True,
         explained_by=("saddle_numbness", "bladder", "bowel")),
    Rule("net.bladder", "bladder", E, "NET_URINE", f"{NET_HINT}; {CES}", near=(_CHANGE,),
         not_near=("NET_CALM", "PAIN"), review=True,
         explained_by=("bladder", "bowel", "saddle_numbness", "constipation")),
    Rule("net.bladder_toilet", "bladder", E, "NET_TOILET", f"{NET_HINT}; {CES}",
         near=("NET_CHANGE",), not_near=("NET_CALM", "NET_BOWEL", "NET_ROM"), review=True,
         explained_by=("bladder", "bowel", "saddle_numbness", "constipation", "fall")),
    Rule("net.bowel", "bowel", E, "NET_BOWEL", f"{NET_HINT}; {CES}", near=("NET_CHANGE",),
         not_near=("NET_CALM",), review=True,
         explained_by=("bowel", "bladder", "constipation", "saddle_numbness")),
    # "can't go", "had an accident": bladder or bowel, the words do not say which.
    Rule("net.ambiguous_function", "bladder", E, "AMBIGUOUS_FUNCTION",
         f"{NET}; bladder or bowel (concepts.AMBIGUOUS); {CES}",
         not_near=("NET_CALM", "NET_ROM", "GO_PLACE"),
         review=True, explained_by=("bladder", "bowel", "constipation", "fall")),
    Rule("net.breathing", "breathing", E, "NET_BREATH", NET_HINT, near=(_CHANGE,),
         not_near=("NET_CALM",), review=True, explained_by=("breathing", "swallowing")),
    Rule("net.swallowing", "swallowing", U, "NET_THROAT", f"{NET_HINT}; {L} swallowing",
         near=(_CHANGE,), not_near=("NET_CALM",), review=True,
         explained_by=("swallowing", "breathing")),
    Rule("net.neck_swelling", "swallowing", U, "NET_NECK", f"{NET}; {L} swallowing: neck swelling",
         near=("NET_SWELL",), review=True, explained_by=("swallowing", "breathing", "wound")),
    Rule("net.calf", "dvt", U, "NET_CALF", f"{NET_HINT}; {L} dvt", near=(f"{_CHANGE}|NET_SWELL",),
         not_near=("NET_CALM",), review=True, explained_by=_LEG_CODES),
    Rule("net.wound", "wound", U, "NET_WOUND", f"{NET_HINT}; {L} wound",
         near=(f"{_CHANGE}|NET_SWELL|NET_DRAIN_COLOR",),
         not_near=("NET_CALM",), review=True, explained_by=("wound", "csf_leak", "fever")),
    Rule("net.fever", "fever", U, "NET_TEMP", f"{NET_HINT}; {L} fever",
         near=("NET_CHANGE|NET_HOT",), not_near=("NET_CALM",), review=True,
         explained_by=("fever",)),
    Rule("net.limb_motor", "weakness", U, "NET_LEG", f"{NET_HINT}; {L} weakness",
         near=(_CHANGE, "NET_MOTOR"), not_near=("NET_CALM",), review=True,
         explained_by=_LEG_CODES),
    Rule("net.limb", "numbness", U, "NET_LEG", f"{NET_HINT}; {L} numbness", near=(_CHANGE,),
         not_near=("NET_CALM",), review=True, explained_by=_LEG_CODES),
    # A reply to a red-flag question that is neither "no" nor calm, names no body area (those
    # are judged above) and that nothing above understood, is read by a nurse with the
    # question's most likely finding.
    Rule("net.answer_numbness", "numbness", U, "", f"{NET}; {ANS}", questions=("numbness",),
         answer=True, review=True),
    Rule("net.answer_weakness", "weakness", U, "", f"{NET}; {ANS}", questions=("weakness",),
         answer=True, review=True),
    Rule("net.answer_bladder_bowel", "bladder", E, "", f"{NET}; {ANS}; {CES}",
         questions=("bladder_bowel",), answer=True, review=True),
    Rule("net.answer_wound_fever", "wound", U, "", f"{NET}; {ANS}", questions=("wound_fever",),
         answer=True, review=True),
)  # fmt: skip
NET_AREA_RULES = tuple(r for r in NET_RULES if not r.answer)
NET_ANSWER_RULES = {r.questions[0]: r for r in NET_RULES if r.answer}
# The body areas each red-flag question asks about: words about them are judged by the area
# rules, not by the question's answer rule.
QUESTION_AREAS: dict[str, tuple[str, ...]] = {
    "numbness": ("NET_LEG", "NET_SADDLE", "LIMB", "SADDLE"),
    "weakness": ("NET_LEG", "LIMB"),
    "bladder_bowel": ("NET_URINE", "NET_TOILET", "NET_BOWEL", "NET_SADDLE", "URINE", "POOP"),
    "wound_fever": ("NET_WOUND", "NET_TEMP", "WOUND_SITE"),
}

# Words belong to one reading. A phrase of a key class that shares a word with a phrase of its
# classes is not read: "can't feel down there" is feeling lost in the groin, not "feel down"
# (mood); "feeling low back pain" is the back, not "feeling low". Mood is made of everyday words
# ("down", "low", "feel") that also name places and sensations.
YIELDS: dict[str, frozenset[str]] = {
    "MOOD": frozenset({"CANT_FEEL", "SADDLE", "NET_SADDLE", "LIMB", "TRUNK"}),
    # Ordinary things in red-flag words: the breathing exerciser, a healing bruise's colours,
    # numb skin beside the incision, a dressing that fell off.
    "BREATH_WORD": frozenset({"BREATH_DEVICE"}),
    "NET_BREATH": frozenset({"BREATH_DEVICE"}),
    "COLOR": frozenset({"BRUISE_COLOR"}),
    "WOUND_SIGN": frozenset({"BRUISE_COLOR"}),
    "NET_DRAIN_COLOR": frozenset({"BRUISE_COLOR"}),
    "NUMB": frozenset({"INCISION_NUMB"}),
    "RESOLVED_POST": frozenset({"POSITIONAL", "NEW_SINCE", "STOPPED_SOMETHING"}),
    "POSITIONAL": frozenset({"NOT_POSITIONAL"}),
    "NEG_PRE": frozenset({"NOT_EVEN"}),
    "HEDGE": frozenset({"NEG_POST"}),
    "LIST_OR": frozenset({"NOT_EVEN"}),
    "CHRONIC": frozenset({"NEW_SINCE", "NOT_LIKE_BEFORE"}),
    "FALL": frozenset({"THING_FELL"}),
    # "gone when I lie flat" describes a positional headache, not a resolved one.
    **{
        cls: frozenset({"POSITIONAL"})
        for cls in ("RESOLVED_END", "NET_CALM", "OTHER_PREDICATE", "UNCHANGED")
    },
}

HEAD_CLASSES: frozenset[str] = frozenset(c for r in RULES for c in r.head.split("|"))
RULES_BY_HEAD: dict[str, tuple[Rule, ...]] = {
    cls: tuple(r for r in RULES if cls in r.head.split("|")) for cls in HEAD_CLASSES
}
# Codes a head class can name; two heads that share a code may share a negation.
HEAD_CODES: dict[str, frozenset[str]] = {
    cls: frozenset(r.code for r in rules) for cls, rules in RULES_BY_HEAD.items()
}
# Classes that name a symptom (not a yes, a site or a question word), for "direct" sites.
SYMPTOM_CLASSES: frozenset[str] = frozenset(
    c for r in RULES if not r.questions for c in r.head.split("|")
) | {"PAIN", "OTHER_PREDICATE"}


def describe() -> str:
    """The rule table as plain text, one rule a line, for clinical review."""
    lines = []
    for rule in (*RULES, *NUMBER_RULES, *NET_RULES):
        when = [rule.head or "any reply not understood"]
        when += [f"near {n}" for n in rule.near]
        when += [f"not near {n}" for n in rule.not_near]
        when += [f"nowhere {n}" for n in rule.not_in_reply]
        if rule.questions:
            when.append("question " + "/".join(rule.questions))
        if rule.explained_by:
            when.append("unless found " + "/".join(rule.explained_by))
        for cls in rule.head.split("|"):
            if cls in YIELDS:
                when.append(f"{cls} sharing no word with " + "/".join(sorted(YIELDS[cls])))
        flags = [f for f in ("answer", "lead", "direct", "review") if getattr(rule, f)]
        lines.append(
            f"{rule.id:<32} {rule.code:<16} {rule.tier.name.lower():<9} "
            f"{', '.join(when + flags)}  [{rule.source}]"
        )
    return "\n".join(lines)
