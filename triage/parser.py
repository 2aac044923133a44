"""Evaluate one reply: find symptom phrases, keep those present now, apply the rule table."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterator
from itertools import repeat
from typing import NamedTuple

from triage.context import Context, Status
from triage.cues import CUES
from triage.lexicon import CLASSES, NET_CLASSES
from triage.matcher import Match, PhraseIndex
from triage.model import DEFAULT_CONFIG, Assessment, Finding, Severity, TriageConfig, TriageError
from triage.normalize import Token, bound, tokenize
from triage.numbers import (
    Number,
    Reading,
    day_count,
    find_numbers,
    is_past,
    pain_readings,
    temperature,
)
from triage.rules import (
    CODES,
    HEAD_CLASSES,
    HEAD_CODES,
    INTENSITY_RULES,
    JUMP_RULE,
    NET_ANSWER_RULES,
    NET_AREA_RULES,
    QUESTION_CODES,
    QUESTIONS,
    RULES_BY_HEAD,
    SCORE_RULE,
    SYMPTOM_CLASSES,
    TEMP_RULE,
    YIELDS,
    Rule,
)

LANGS = ("en", "es")
CHANNELS = ("sms", "voice")

_SITE_GROUP = frozenset({"LIMB", "SADDLE", "BILATERAL", "BOTH"})
_ANSWER_ONLY = frozenset({"LIMB", "SADDLE", "BILATERAL", "ONE_SIDE"})
# Cues that compete with symptom words for the same text ("no more", "not sure", "so bad");
# the rest (who is speaking, question words) describe the sentence and never compete.
_SCOPE_CUES = frozenset(
    {"NEG_PRE", "NEG_POST", "PSEUDO", "RESOLVED_POST", "RESOLVED_END", "RESOLVED_PRE", "HYPO",
     "HYPO_IF", "PSEUDO_IF", "HEDGE", "TERMINATOR", "UNSURE_ANSWER", "YES", "LIST_OR",
     "LIST_AND"}
)  # fmt: skip
_INDEX = PhraseIndex(
    {**CLASSES, **NET_CLASSES, **CUES},
    groups=(
        frozenset((SYMPTOM_CLASSES - _ANSWER_ONLY) | _SCOPE_CUES | {"WALK_LIMITED", "MASK"}),
        _SITE_GROUP,
        frozenset({"UNCHANGED", "WORSE"}),
        # "not good" is a change, not the calm word inside it.
        frozenset({"NET_CHANGE", "NET_CHANGE_WEAK", "NET_CALM"}),
    ),
)
_NET_BY_HEAD: dict[str, tuple[Rule, ...]] = {}
for _rule in NET_AREA_RULES:
    for _cls in _rule.head.split("|"):
        _NET_BY_HEAD[_cls] = (*_NET_BY_HEAD.get(_cls, ()), _rule)
# Words that explain a weak change cue: "knee pain is worse" is about pain, not a new deficit.
_EXPLAINS_WEAK = ("PAIN", "OTHER_PREDICATE", "SEVERE", "PAIN_BAD")
# Any of these in a reply to a yes/no question makes it a "no" or a calm answer.
_CALM_ANSWER = (
    "NEG_PRE", "NEG_POST", "RESOLVED_POST", "RESOLVED_END", "RESOLVED_PRE", "NET_CALM",
    "OTHER_PREDICATE", "CHRONIC", "PRESURGERY", "UNCHANGED", "OTHER_PERSON", "HYPO", "MOOD",
    "TIRED",
)  # fmt: skip
_NET_AREAS = frozenset(_NET_BY_HEAD) - {"NET_SELF"}
# The body areas each red-flag question asks about.
_QUESTION_AREAS: dict[str, tuple[str, ...]] = {
    "numbness": ("NET_LEG", "NET_SADDLE", "LIMB", "SADDLE"),
    "weakness": ("NET_LEG", "LIMB"),
    "bladder_bowel": ("NET_URINE", "NET_TOILET", "NET_BOWEL", "NET_SADDLE", "URINE", "POOP"),
    "wound_fever": ("NET_WOUND", "NET_TEMP", "WOUND_SITE"),
}
_PUNCT = frozenset({",", ".", "!", "?", ";", ":", "-", "\n", "(", ")", '"', "'", "*", "/"})

# Near words that are symptoms themselves must be present ("no trouble breathing" is not).
_NEAR_PRESENT = frozenset(
    {"BREATHING", "PAIN", "DVT_SIGN", "WOUND_SIGN", "SWELL", "PROBLEM", "BLOOD", "DVT_WARM"}
)
# Vetoes that count only when affirmed: "sheets soaked, pee not sweat" is still urine.
_VETO_PRESENT = frozenset({"SWEAT"})


class Candidate(NamedTuple):
    """A rule that fired on a mention, before the best one per code is kept."""

    rule: Rule
    tier: Severity
    start: int
    end: int
    review: bool


def evaluate(
    text: str,
    question: str | None = None,
    lang: str = "en",
    channel: str = "sms",
    config: TriageConfig = DEFAULT_CONFIG,
) -> Assessment:
    """Triage one patient reply to a check-in question.

    text: the reply as typed or transcribed. question: general, pain, numbness, weakness,
    bladder_bowel or wound_fever (None means general); a bare "yes", "2" or "8" is read against
    it. lang: en or es (both vocabularies are always used, since replies mix them).
    channel: sms or voice (voice fixes speech-recognition sound-alikes such as "food" for
    "foot"). Raises TriageError for anything but these values.
    """
    question = _check(text, question, lang, channel, config)
    text, truncated = bound(text)
    tokens = tokenize(text, channel, config.fuzzy)
    if not tokens:
        assessment = Assessment((), Severity.NONE, False, None, None)
    else:
        readings = [_Evaluation(text, r, question, config).run() for r in _readings(tokens)]
        assessment = readings[0] if len(readings) == 1 else _settle(text, tokens, readings)
    if truncated:
        # A nurse reads what triage did not; the findings in the part read still stand.
        return dataclasses.replace(assessment, needs_review=True, truncated=True)
    return assessment


def _readings(tokens: list[Token]) -> list[list[Token]]:
    """The reply once per reading of its typo ties (Token.alternatives); usually once."""
    tied = [len(t.alternatives) for t in tokens if t.alternatives]
    if not tied:
        return [tokens]
    count = max(tied)
    out = [tokens]
    for k in range(1, count + 1):
        out.append(
            [
                Token(t.alternatives[min(k, len(t.alternatives)) - 1], t.start, t.end)
                if t.alternatives
                else t
                for t in tokens
            ]
        )
    return out


def _settle(text: str, tokens: list[Token], readings: list[Assessment]) -> Assessment:
    """One assessment from the readings of a typo tie: every finding any reading made.

    A typo equally near two words that mean different things is not settled in silence: when
    the readings disagree a nurse reads the reply, and each finding in dispute quotes the
    typed word.
    """
    typed = [t for t in tokens if t.alternatives]
    agreed = set.intersection(*({(f.code, f.tier) for f in a.findings} for a in readings))
    best: dict[str, Finding] = {}
    for a in readings:
        for f in a.findings:
            if f.code not in best or f.tier > best[f.code].tier:
                best[f.code] = f
    findings = []
    for f in best.values():
        if (f.code, f.tier) not in agreed:
            f = dataclasses.replace(f, evidence=_with_typed(text, f.evidence, typed))
        findings.append(f)
    findings.sort(key=lambda f: (-f.tier, CODES.index(f.code)))
    disagree = len(agreed) != len(best)
    pain = max(readings, key=lambda a: -1 if a.pain_score is None else a.pain_score)
    temperatures = [a.temperature_f for a in readings if a.temperature_f is not None]
    return Assessment(
        tuple(findings),
        max((f.tier for f in findings), default=Severity.NONE),
        bool(findings) and (disagree or any(a.needs_review for a in readings)),
        pain.pain_score,
        max(temperatures, default=None),
        pain.pain_evidence,
    )


def _with_typed(text: str, evidence: str, typed: list[Token]) -> str:
    """The evidence, widened to quote the nearest tied typo when it does not already."""
    start = text.find(evidence)
    end = start + len(evidence)
    if start < 0 or any(start <= t.start and t.end <= end for t in typed):
        return evidence
    t = min(typed, key=lambda t: min(abs(t.start - end), abs(start - t.end)))
    return text[min(start, t.start) : max(end, t.end)]


def _yield_shared(matches: list[Match]) -> list[Match]:
    """The matches less those whose words another reading owns (rules.YIELDS)."""
    out = matches
    for cls, owners in YIELDS.items():
        owned = {i for o in out if o.cls in owners for i in range(o.start, o.end)}
        out = [m for m in out if m.cls != cls or owned.isdisjoint(range(m.start, m.end))]
    return out


def _check(text: object, question: object, lang: object, channel: object, config: object) -> str:
    if not isinstance(text, str):
        raise TriageError(f"text must be a string, not {type(text).__name__}")
    if question is None:
        question = "general"
    if question not in QUESTIONS:
        raise TriageError(f"unknown question {question!r}; expected one of {', '.join(QUESTIONS)}")
    if lang not in LANGS:
        raise TriageError(f"unknown lang {lang!r}; expected en or es")
    if channel not in CHANNELS:
        raise TriageError(f"unknown channel {channel!r}; expected sms or voice")
    if not isinstance(config, TriageConfig):
        raise TriageError("config must be a TriageConfig")
    return str(question)


class _Evaluation:
    """One reply on its way through the rules; discarded after run()."""

    def __init__(self, text: str, tokens: list[Token], question: str, config: TriageConfig) -> None:
        self.text = text
        self.tokens = tokens
        self.question = question
        self.config = config
        self.matches = _INDEX.find(tokens)
        self.by_class: dict[str, list[Match]] = {}
        for m in self.matches:
            self.by_class.setdefault(m.cls, []).append(m)
        if any(cls in self.by_class for cls in YIELDS):
            self.matches = _yield_shared(self.matches)
            self.by_class = {}
            for m in self.matches:
                self.by_class.setdefault(m.cls, []).append(m)
        mentions = [
            (m, HEAD_CODES[m.cls])
            for m in self.matches
            if m.cls in SYMPTOM_CLASSES and m.cls in HEAD_CODES and m.cls not in _ANSWER_ONLY
        ]
        self.context = Context(text, tokens, self.matches, mentions)
        self._starts: list[int] | None = None
        self.words = self.context.words
        self.segment = self.context.segment
        self._status: dict[Match, Status] = {}
        self.first = self._first_content()

    def _first_content(self) -> int:
        filler = {i for m in self.by_class.get("FILLER", ()) for i in range(m.start, m.end)}
        for i, w in enumerate(self.words):
            if w not in _PUNCT and i not in filler:
                return i
        return -1

    def status(self, m: Match) -> Status:
        if m not in self._status:
            self._status[m] = self.context.status(m, HEAD_CODES.get(m.cls, frozenset()))
        return self._status[m]

    # --- rules ----------------------------------------------------------------------------
    def run(self) -> Assessment:
        fired: list[Candidate] = []
        mentioned: set[str] = set()
        answers: list[tuple[Match, Rule]] = []
        for m in self.matches:
            if m.cls not in HEAD_CLASSES:
                continue
            for rule in RULES_BY_HEAD[m.cls]:
                if rule.questions and self.question not in rule.questions:
                    continue
                if rule.answer:
                    answers.append((m, rule))
                    continue
                span = self._conditions(m, rule)
                if span is None:
                    continue
                mentioned.add(rule.code)
                status = self.status(m)
                if status is Status.PRESENT:
                    fired.append(self._candidate(rule, m, span))
                elif (
                    status is Status.OTHER_PERSON
                    and rule.tier is Severity.EMERGENCY
                    and not self.context.clearly_not_the_writer(m)
                ):
                    # "my mom can't pee" may be a caregiver writing about the patient: an
                    # emergency is never dropped on who it is about (clinical-triage.md 4.2).
                    fired.append(self._candidate(rule, m, span)._replace(review=True))
        family = QUESTION_CODES[self.question]
        if not (mentioned & family):
            answered: list[Candidate] = []
            for m, rule in answers:
                if rule.lead and m.start != self.first:
                    continue
                span = self._conditions(m, rule)
                if span is not None and self.status(m) is Status.PRESENT:
                    answered.append(self._candidate(rule, m, span))
            # "yes, in my groin" answers with the groin: the most specific answer wins.
            top = max((c.tier for c in answered), default=Severity.NONE)
            fired.extend(c for c in answered if c.tier == top)
        return self._assess(fired)

    def _candidate(self, rule: Rule, m: Match, span: tuple[int, int]) -> Candidate:
        tier = self.config.tier_for(rule.id, rule.tier)
        if rule.id == "numbness.bilateral" and self.config.bilateral_numbness_emergency:
            tier = Severity.EMERGENCY
        review = rule.review or (tier >= Severity.URGENT and self.context.hedged(m))
        return Candidate(rule, tier, span[0], span[1], review)

    def _conditions(self, m: Match, rule: Rule) -> tuple[int, int] | None:
        """The evidence span when the rule's near/not_near conditions hold, else None."""
        start, end = m.start, m.end
        for spec in rule.near:
            found = self._nearest(m, spec.split("|"), rule)
            if found is None:
                return None
            start, end = min(start, found.start), max(end, found.end)
        for spec in rule.not_near:
            if self._nearest(m, spec.split("|"), rule, veto=True) is not None:
                return None
        if any(self.by_class.get(cls) for cls in rule.not_in_reply):
            return None
        return start, end

    def _nearest(
        self, m: Match, classes: list[str], rule: Rule, veto: bool = False
    ) -> Match | None:
        """The phrase of these classes nearest m that the rule may use (first class, then
        first in the reply, on a tie)."""
        best: Match | None = None
        best_gap = 10**6
        for cls in classes:
            near = self.by_class.get(cls, [])
            if len(near) > 8:
                # A long reply: look only within reach, or outwards from m until past the
                # nearest, rather than at every phrase of the class.
                o = self._nearest_of_many(m, cls, rule, veto)
                if o is not None and _gap(m, o) < best_gap:
                    best, best_gap = o, _gap(m, o)
                continue
            for o in near:
                gap = self._usable(m, o, cls, rule, veto)
                if gap is not None and gap < best_gap:
                    best, best_gap = o, gap
        return best

    def _nearest_of_many(self, m: Match, cls: str, rule: Rule, veto: bool) -> Match | None:
        """_nearest for one class with many phrases, looking at as few as it can."""
        if rule.reach is not None:
            lo = m.start - rule.reach - self.context.longest
            near = self.context.starting(cls, lo, m.end + rule.reach + 1)
            order: Iterator[tuple[int, int]] = zip(repeat(0), range(len(near)))
        else:
            near = self.by_class[cls]
            order = _outward(m, near, self.context.longest, self.context.start_list(cls))
        found: tuple[int, int] | None = None  # (gap, index)
        for least, k in order:
            if found is not None and least > found[0]:
                break  # the rest are farther
            gap = self._usable(m, near[k], cls, rule, veto)
            if gap is not None and (found is None or (gap, k) < found):
                found = (gap, k)
        return None if found is None else near[found[1]]

    def _usable(self, m: Match, o: Match, cls: str, rule: Rule, veto: bool) -> int | None:
        """The gap between m and a phrase o of class cls when the rule may use o, else None."""
        if o is m or (o.start < m.end and m.start < o.end and veto):
            return None
        gap = max(0, o.start - m.end, m.start - o.end)
        if rule.reach is not None and (
            gap > rule.reach or self.segment[o.start] != self.segment[m.start]
        ):
            return None
        if rule.direct and not veto and not self._direct(m, o):
            return None
        if not veto and cls in _NEAR_PRESENT and self.status(o) is not Status.PRESENT:
            return None
        if veto and cls in _VETO_PRESENT and self.status(o) is not Status.PRESENT:
            return None
        return gap

    def _direct(self, m: Match, o: Match) -> bool:
        """A site right before or after the head with no other symptom word between."""
        if o.start < m.end and m.start < o.end:
            return True  # "can't feel when I wipe": the site shares words with the head
        if o.start >= m.end:
            lo, hi = m.end, o.start
        else:
            lo, hi = o.end, m.start
        if hi - lo > 4:
            return False
        # A phrase that holds the site itself ("ganas de orinar") is not in the way.
        if self._starts is None:
            self._starts = [x.start for x in self.matches]
        between = self.matches[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
        return not any(x.cls in SYMPTOM_CLASSES and not (x.start < o.end <= x.end) for x in between)

    # --- numbers and the final assessment ------------------------------------------------
    def _assess(self, fired: list[Candidate]) -> Assessment:
        numbers = find_numbers(self.tokens)
        readings = [
            r
            for r in pain_readings(self.tokens, numbers, self.question)
            if self._number_counts(r.start, r.end)
        ]
        # LABELING.md scores the pain now: "a 3 now, was a 9 last night" is a 3.
        current = [r for r in readings if not is_past(self.tokens, r)] or readings
        pain = max(current, key=lambda r: r.value) if current else None
        jump = self._pain_jump(readings)
        if jump is not None:
            fired.append(jump)
        temp = temperature(self.tokens, numbers, self.question)
        pain_value: int | None = None
        pain_words: str | None = None
        if pain is not None:
            pain_value = int(pain.value)
            pain_words = self._quote(pain.start, pain.end)
            if pain_value >= self.config.severe_pain_min:
                fired.append(self._number_candidate(SCORE_RULE, pain.start, pain.end, pain.flag))
            else:
                # A stated score is more exact than "killing me" or "terrible".
                fired = [c for c in fired if c.rule.id not in INTENSITY_RULES]
        temperature_f: float | None = None
        if temp is not None and self._number_counts(temp.start, temp.end):
            temperature_f = round(temp.value * 9 / 5 + 32, 1) if temp.flag else temp.value
            threshold = self.config.fever_c if temp.flag else self.config.fever_f
            if temp.value >= threshold:
                fired.append(self._number_candidate(TEMP_RULE, temp.start, temp.end, False))
            else:
                # A measured temperature below the threshold outweighs the word "fever".
                fired = [c for c in fired if c.rule.id != "fever.reported"]
        fired = self._constipation_days(fired, numbers)
        read = frozenset(
            code
            for code, value in (("severe_pain", pain), ("fever", temperature_f))
            if value is not None
        )
        fired.extend(self._safety_net(fired, read))
        # Per code: the highest tier (fail-safe), then a sure rule over a hint, then the first.
        best: dict[str, Candidate] = {}
        for c in fired:
            cur = best.get(c.rule.code)
            if cur is None or _rank(c) > _rank(cur):
                best[c.rule.code] = c
        chosen = sorted(best.values(), key=lambda c: (-c.tier, CODES.index(c.rule.code)))
        findings = tuple(
            Finding(c.rule.code, c.tier, self._quote(c.start, c.end), c.rule.id) for c in chosen
        )
        severity = max((f.tier for f in findings), default=Severity.NONE)
        needs_review = any(c.review for c in chosen) and severity > Severity.NONE
        return Assessment(findings, severity, needs_review, pain_value, temperature_f, pain_words)

    # --- fail-safe net (rules.NET_RULES) -------------------------------------------------------
    def _safety_net(self, fired: list[Candidate], read: frozenset[str]) -> list[Candidate]:
        """Review candidates for red-flag areas the specific rules left unexplained."""
        found = {c.rule.code for c in fired} | read
        out: list[Candidate] = []
        claimed: set[int] = set()
        read_words: list[bool] | None = None
        for rule in NET_AREA_RULES:
            if found & set(rule.explained_by):
                continue
            for cls in rule.head.split("|"):
                for m in self.by_class.get(cls, ()):
                    if not claimed.isdisjoint(range(m.start, m.end)):
                        continue
                    if read_words is None:
                        read_words = _covered(len(self.tokens), [(c.start, c.end) for c in fired])
                    span = self._net_conditions(m, rule, read_words)
                    if span is not None:
                        claimed.update(range(m.start, m.end))
                        out.append(Candidate(rule, rule.tier, span[0], span[1], True))
        if fired or out or read:
            return out
        answer = NET_ANSWER_RULES.get(self.question)
        if answer is not None and self._unread_answer():
            last = max(i for i, w in enumerate(self.words) if w not in _PUNCT)
            out.append(Candidate(answer, answer.tier, self.first, last + 1, True))
        return out

    def _net_conditions(
        self, m: Match, rule: Rule, read_words: list[bool]
    ) -> tuple[int, int] | None:
        if any(read_words[m.start : m.end]):
            return None  # a specific rule already read these words
        codes = frozenset({rule.code})
        status = self.context.status(m, codes)
        if rule.code == "self_harm":
            # "if I didn't wake up" reads as negated or hypothetical, yet is the warning sign.
            if status is Status.OTHER_PERSON:
                return None
        elif status is not Status.PRESENT:
            return None
        start, end = m.start, m.end
        for spec in rule.near:
            cue = self._nearest(m, spec.split("|"), rule)
            if (
                cue is None
                or any(read_words[cue.start : cue.end])
                or any(
                    _overlap(cue, x)
                    for x in self.context.starting(
                        "MASK", cue.start - self.context.longest, cue.end
                    )
                )
                or self._closer_area(cue, m)
                or self.context.status(cue, codes) is not Status.PRESENT
            ):
                return None
            if cue.cls == "NET_CHANGE_WEAK" and any(
                self.context.has(cls, *self.context.segment_bounds(self.segment[m.start]))
                for cls in _EXPLAINS_WEAK
            ):
                return None
            start, end = min(start, cue.start), max(end, cue.end)
        for spec in rule.not_near:
            if self._nearest(m, spec.split("|"), rule, veto=True) is not None:
                return None
        return start, end

    def _closer_area(self, cue: Match, m: Match) -> bool:
        """Whether another body area sits nearer the change word than m does."""
        gap = _gap(cue, m)
        lo = cue.start - gap - self.context.longest
        return any(
            _gap(cue, o) < gap and not _overlap(o, m) and not _overlap(o, cue)
            for cls in _NET_AREAS
            for o in self.context.starting(cls, lo, cue.end + gap)
        )

    def _unread_answer(self) -> bool:
        """A reply to a red-flag question that is not "no", not calm and not a question."""
        if self.first < 0 or any(self.by_class.get(cls) for cls in _CALM_ANSWER):
            return False
        covered = {i for m in self.matches for i in range(m.start, m.end)}
        covered.update(i for n in find_numbers(self.tokens) for i in range(n.start, n.end))
        if not any(
            i not in covered and w not in _PUNCT and w.isalpha() and len(w) > 1
            for i, w in enumerate(self.words)
        ):
            return False  # "2", "N", "ok": nothing beyond answer and filler words
        # A symptom the reply denies, hopes against or gives to someone else was read.
        if any(
            m.cls in HEAD_CLASSES
            and m.cls in SYMPTOM_CLASSES
            and self.status(m) is not Status.PRESENT
            for m in self.matches
        ):
            return False
        areas = _QUESTION_AREAS.get(self.question, ())
        if any(self.by_class.get(cls) for cls in areas):
            return False  # the area rules already judged the words about this area
        return not any(self.context.is_question(s) for s in set(self.context.sentence))

    def _pain_jump(self, readings: list[Reading]) -> Candidate | None:
        """A rise within one reply, "was a 3 all week, now a 7" (LABELING.md sudden jump)."""
        if len(readings) < 2 or not self.by_class.get("PAIN_RISE"):
            return None
        # In time order: "a 3 now, was a 9 last night" fell, it did not jump.
        readings = sorted(readings, key=lambda r: not is_past(self.tokens, r))
        # The first reading with a high enough one after it, and the first such one: one pass
        # back for the highest later reading, one pass forward.
        highest_after = [0.0] * len(readings)
        top = float("-inf")
        for i in range(len(readings) - 1, -1, -1):
            highest_after[i] = top
            top = max(top, readings[i].value)
        for i, early in enumerate(readings):
            if highest_after[i] - early.value >= self.config.pain_jump:
                late = next(
                    r for r in readings[i + 1 :] if r.value - early.value >= self.config.pain_jump
                )
                return self._number_candidate(JUMP_RULE, early.start, late.end, False)
        return None

    def _number_candidate(self, rule: Rule, start: int, end: int, review: bool) -> Candidate:
        return Candidate(rule, self.config.tier_for(rule.id, rule.tier), start, end, review)

    def _number_counts(self, start: int, end: int) -> bool:
        span = Match("NUMBER", start, end)
        return self.context.status(span, frozenset({"severe_pain", "fever"})) not in (
            Status.HYPOTHETICAL,
            Status.OTHER_PERSON,
            Status.RESOLVED,
        )

    def _constipation_days(self, fired: list[Candidate], numbers: list[Number]) -> list[Candidate]:
        out: list[Candidate] = []
        for c in fired:
            if c.rule.code == "constipation":
                days = day_count(self.tokens, numbers, c.start)
                if days is not None and days < self.config.constipation_min_days:
                    continue
                urgent = self.config.constipation_urgent_days
                if days is not None and urgent is not None and days >= urgent:
                    c = c._replace(tier=max(c.tier, Severity.URGENT))
            out.append(c)
        return out

    def _quote(self, start: int, end: int) -> str:
        """The original words of tokens start..end-1, exactly as written."""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]


def _outward(
    m: Match, near: list[Match], longest: int, starts: list[int]
) -> Iterator[tuple[int, int]]:
    """Indexes into `near` (phrases in reply order, starting at `starts`) from m outwards, each
    with a lower bound of its gap to m that never falls, so the caller can stop at the first
    bound past the nearest it found."""
    right = bisect_left(starts, m.end)
    left = right - 1
    while left >= 0 or right < len(near):
        # Left of m, a phrase ends at most `longest` tokens after it starts.
        lower_left = max(0, m.start - near[left].start - longest) if left >= 0 else 10**6
        lower_right = max(0, near[right].start - m.end) if right < len(near) else 10**6
        if lower_left <= lower_right:
            yield lower_left, left
            left -= 1
        else:
            yield lower_right, right
            right += 1


def _covered(n: int, spans: list[tuple[int, int]]) -> list[bool]:
    """For each of n tokens, whether one of the spans covers it (one pass, however long)."""
    change = [0] * (n + 1)
    for start, end in spans:
        change[start] += 1
        change[end] -= 1
    out = []
    depth = 0
    for delta in change[:n]:
        depth += delta
        out.append(depth > 0)
    return out


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end


def _gap(a: Match, b: Match) -> int:
    return max(0, a.start - b.end, b.start - a.end)


def _rank(c: Candidate) -> tuple[int, bool, int]:
    return (c.tier, not c.review, -c.start)
