"""Apply the rule table to one reading of a reply: word rules, answers, numbers, the net."""

from __future__ import annotations

from triage.context import Status
from triage.matcher import Match
from triage.model import Assessment, Finding, Severity
from triage.net import safety_net
from triage.numbers import (
    Number,
    Reading,
    day_count,
    find_numbers,
    is_past,
    is_present,
    pain_readings,
    temperature,
)
from triage.rules import (
    CODES,
    HEAD_CLASSES,
    JUMP_RULE,
    NUMBER_RULES,
    QUESTION_CODES,
    QUESTIONS,
    RULES_BY_HEAD,
    SCORE_RULE,
    SYMPTOM_CLASSES,
    TEMP_RULE,
    Rule,
)
from triage.scan import Candidate, Scan

_SITES = frozenset({"LIMB", "SADDLE"})
# Codes a number can settle; a number shares negation and hypotheticals with their words.
_NUMBER_CODES = frozenset(r.code for r in NUMBER_RULES)
# For each question, the rules of each head class that may fire in a reply to it.
_RULES_BY_QUESTION: dict[str, dict[str, tuple[Rule, ...]]] = {
    question: {
        cls: tuple(r for r in rules if not r.questions or question in r.questions)
        for cls, rules in RULES_BY_HEAD.items()
    }
    for question in QUESTIONS
}


class Evaluation(Scan):
    """One reading of a reply on its way through the rules; discarded after run()."""

    def run(self) -> Assessment:
        """The assessment of this reading."""
        fired: list[Candidate] = []
        mentioned: set[str] = set()
        answers: list[tuple[Match, Rule]] = []
        heads = _RULES_BY_QUESTION[self.question]
        for m in self.matches:
            for rule in heads.get(m.cls, ()):
                if rule.answer:
                    answers.append((m, rule))
                    continue
                span = self.conditions(m, rule)
                if span is None:
                    continue
                mentioned.add(rule.code)
                status = self.status(m)
                if status is Status.PRESENT:
                    fired.append(self._candidate(rule, m, span))
                elif rule.far_denial_reviewed and (
                    status is Status.HYPOTHETICAL
                    or (status is Status.NEGATED and not self.context.denied_at_hand(m))
                ):
                    # "i dont care anymore i keep thinking about ending my life": in a transcript
                    # with no stops a denial several words back may not reach the words; "better
                    # off if I just took the whole bottle" is put as an "if". Talk of ending one's
                    # life is never dropped on either: a nurse reads it.
                    fired.append(self._candidate(rule, m, span)._replace(review=True))
                elif (
                    status is Status.OTHER_PERSON
                    and rule.tier is Severity.EMERGENCY
                    and not self.context.clearly_not_the_writer(m)
                ):
                    # "my mom can't pee" may be a caregiver writing about the patient: an
                    # emergency is never dropped on who it is about (clinical-triage.md 4.2).
                    fired.append(self._candidate(rule, m, span)._replace(review=True))
        fired.extend(self._placed_elsewhere())
        family = QUESTION_CODES[self.question]
        if not (mentioned & family):
            answered: list[Candidate] = []
            for m, rule in answers:
                if rule.lead and m.start != self.first:
                    continue
                span = self.conditions(m, rule)
                if span is not None and self.status(m) is Status.PRESENT:
                    answered.append(self._candidate(rule, m, span))
            # "yes, in my groin" answers with the groin: the most specific answer wins.
            top = max((c.tier for c in answered), default=Severity.NONE)
            fired.extend(c for c in answered if c.tier == top)
        return self._assess(fired)

    def _placed_elsewhere(self) -> list[Candidate]:
        """ "no numbness in my groin, just my left big toe": the symptom denied in one place and
        placed in another after "just" or "only", with nothing else said of that place."""
        out: list[Candidate] = []
        if "EXCEPT" not in self.by_class or "NEG_PRE" not in self.by_class:
            return out
        denials = {m.end for m in self.by_class["NEG_PRE"]}
        denied = [
            m
            for m in self.matches
            if m.cls in HEAD_CLASSES
            and m.cls in SYMPTOM_CLASSES
            and (m.start in denials or m.start - 1 in denials)
        ]
        for cue in self.by_class.get("EXCEPT", ()) if denied else ():
            before = [m for m in denied if m.end <= cue.start and cue.start - m.end <= 8]
            sites = [
                s
                for cls in _SITES
                for s in self.by_class.get(cls, ())
                if cue.end <= s.start <= cue.end + 4
            ]
            if not before or not sites:
                continue
            site = min(sites, key=lambda s: s.start)
            lo, hi = self.context.segment_bounds(self.segment[site.start])
            if any(
                m.cls in SYMPTOM_CLASSES and m.start >= cue.end and m.cls not in _SITES
                for m in self.matches
                if lo <= m.start < hi
            ):
                continue  # "no weakness, only my leg is sore": something else is said of it
            rule = next(
                (
                    r
                    for r in RULES_BY_HEAD[before[-1].cls]
                    if not r.questions and r.near and site.cls in r.near[0].split("|")
                ),
                None,
            )
            if rule is not None:
                out.append(self._candidate(rule, site, (cue.start, site.end)))
        return out

    def _candidate(self, rule: Rule, m: Match, span: tuple[int, int]) -> Candidate:
        tier = self.config.tier_for(rule.id, rule.tier)
        if rule.emergency_setting and getattr(self.config, rule.emergency_setting):
            tier = Severity.EMERGENCY
        review = rule.review or (tier >= Severity.URGENT and self.context.hedged(m))
        return Candidate(rule, tier, span[0], span[1], review)

    def _assess(self, fired: list[Candidate]) -> Assessment:
        numbers = find_numbers(self.tokens)
        pain: Reading | None = None
        temperature_f: float | None = None
        if numbers:  # most replies state none: no score, no temperature
            fired, pain, temperature_f = self._read_numbers(fired, numbers)
        pain_value = None if pain is None else int(pain.value)
        pain_words = None if pain is None else self.quote(pain.start, pain.end)
        fired = self._day_counts(fired, numbers)
        read = frozenset(
            rule.code
            for rule, value in ((SCORE_RULE, pain), (TEMP_RULE, temperature_f))
            if value is not None
        )
        fired.extend(safety_net(self, fired, read))
        # Per code: the highest tier (fail-safe), then a sure rule over a hint, then the first.
        best: dict[str, Candidate] = {}
        for c in fired:
            cur = best.get(c.rule.code)
            if cur is None or _rank(c) > _rank(cur):
                best[c.rule.code] = c
        chosen = sorted(best.values(), key=lambda c: (-c.tier, CODES.index(c.rule.code)))
        findings = tuple(
            Finding(c.rule.code, c.tier, self.quote(c.start, c.end), c.rule.id) for c in chosen
        )
        severity = max((f.tier for f in findings), default=Severity.NONE)
        needs_review = any(c.review for c in chosen) and severity > Severity.NONE
        return Assessment(findings, severity, needs_review, pain_value, temperature_f, pain_words)

    def _read_numbers(
        self, fired: list[Candidate], numbers: list[Number]
    ) -> tuple[list[Candidate], Reading | None, float | None]:
        """The candidates after the reply's pain scores and temperature, the pain score that
        counts, and the temperature in Fahrenheit."""
        readings = [
            r
            for r in pain_readings(self.tokens, numbers, self.question)
            if self._number_counts(r.start, r.end)
        ]
        # "10/10 would not recommend, actual pain is like a 3": the score named as the real one.
        # Not a cue right after an earlier score: "a 9 de verdad" says that 9 is meant.
        corrected = [
            r
            for r in readings
            if self.context.has(
                "SCORE_CORRECTION",
                max([r.start - 5] + [o.end + 1 for o in readings if o.end <= r.start]),
                r.start,
            )
        ]
        if corrected and len(corrected) < len(readings):
            readings = corrected
        # LABELING.md scores the pain now: "a 3 now, was a 9 last night" is a 3.
        current = [r for r in readings if not is_past(self.tokens, r)] or readings
        # "Sunday 9, Monday 8, ... today 4": a score placed now outweighs the week before it.
        current = [r for r in current if is_present(self.tokens, r)] or current
        pain = max(current, key=lambda r: r.value) if current else None
        jump = self._pain_jump(readings)
        if jump is not None:
            fired.append(jump)
        temp = temperature(self.tokens, numbers, self.question)
        if pain is not None:
            if int(pain.value) >= self.config.severe_pain_min:
                fired.append(self._number_candidate(SCORE_RULE, pain.start, pain.end, pain.flag))
            else:
                # A stated score is more exact than "killing me" or "terrible".
                fired = [c for c in fired if c.rule.id not in SCORE_RULE.outweighs]
        temperature_f: float | None = None
        if temp is not None and self._number_counts(temp.start, temp.end):
            temperature_f = round(temp.value * 9 / 5 + 32, 1) if temp.flag else temp.value
            threshold = self.config.fever_c if temp.flag else self.config.fever_f
            if temp.value >= threshold:
                fired.append(self._number_candidate(TEMP_RULE, temp.start, temp.end, False))
            else:
                # A measured temperature below the threshold outweighs the word for it.
                fired = [c for c in fired if c.rule.id not in TEMP_RULE.outweighs]
        return fired, pain, temperature_f

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
        return self.context.status(span, _NUMBER_CODES) not in (
            Status.HYPOTHETICAL,
            Status.OTHER_PERSON,
            Status.RESOLVED,
        )

    def _day_counts(self, fired: list[Candidate], numbers: list[Number]) -> list[Candidate]:
        """Findings of `days` rules, dropped or raised by the number of days the reply states."""
        out: list[Candidate] = []
        for c in fired:
            if c.rule.days:
                days = day_count(self.tokens, numbers, c.start)
                if days is not None and days < self.config.constipation_min_days:
                    continue
                urgent = self.config.constipation_urgent_days
                if days is not None and urgent is not None and days >= urgent:
                    c = c._replace(tier=max(c.tier, Severity.URGENT))
            out.append(c)
        return out


def _rank(c: Candidate) -> tuple[int, bool, int]:
    return (c.tier, not c.review, -c.start)
