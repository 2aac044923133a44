"""The fail-safe net (rules.NET_RULES): red-flag areas and answers no specific rule explained."""

from __future__ import annotations

from triage.context import Status
from triage.matcher import Match
from triage.numbers import find_numbers
from triage.rules import (
    HEAD_CLASSES,
    NET_ANSWER_RULES,
    NET_AREA_RULES,
    QUESTION_AREAS,
    SYMPTOM_CLASSES,
    Rule,
)
from triage.scan import PUNCT, Candidate, Scan, alternatives, gap_between, overlap

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
    "TIRED", "WORKING_FINE", "STRONGER",
)  # fmt: skip
_NET_HEADS = frozenset(_NET_BY_HEAD)
_NET_AREAS = _NET_HEADS - {"NET_SELF"}
# Each area rule with its head classes and the codes that explain it, taken apart once, and
# the area rules (by position) each head class starts.
_AREA_RULES = tuple(
    (rule, tuple(rule.head.split("|")), frozenset(rule.explained_by)) for rule in NET_AREA_RULES
)
_AREA_RULES_OF: dict[str, tuple[int, ...]] = {
    cls: tuple(k for k, (_, heads, _) in enumerate(_AREA_RULES) if cls in heads)
    for cls in _NET_HEADS
}


def safety_net(scan: Scan, fired: list[Candidate], read: frozenset[str]) -> list[Candidate]:
    """Review candidates for red-flag areas the specific rules left unexplained.

    fired: what the specific rules found; read: codes a number already settled.
    """
    found = {c.rule.code for c in fired} | read
    out: list[Candidate] = []
    claimed: set[int] = set()
    read_words: list[bool] | None = None
    # Only the rules whose areas the reply names, in table order; most replies name none.
    named = _NET_HEADS.intersection(scan.by_class)
    for k in sorted({k for cls in named for k in _AREA_RULES_OF[cls]}) if named else ():
        rule, heads, explained = _AREA_RULES[k]
        if not found.isdisjoint(explained):
            continue
        for cls in heads:
            for m in scan.by_class.get(cls, ()):
                if not claimed.isdisjoint(range(m.start, m.end)):
                    continue
                if read_words is None:
                    read_words = _covered(len(scan.tokens), [(c.start, c.end) for c in fired])
                span = _net_conditions(scan, m, rule, read_words)
                if span is not None:
                    claimed.update(range(m.start, m.end))
                    out.append(Candidate(rule, rule.tier, span[0], span[1], True))
    if fired or out or read:
        return out
    answer = NET_ANSWER_RULES.get(scan.question)
    if answer is not None and _unread_answer(scan):
        last = max(i for i, w in enumerate(scan.words) if w not in PUNCT)
        out.append(Candidate(answer, answer.tier, scan.first, last + 1, True))
    return out


def _net_conditions(
    scan: Scan, m: Match, rule: Rule, read_words: list[bool]
) -> tuple[int, int] | None:
    if any(read_words[m.start : m.end]):
        return None  # a specific rule already read these words
    codes = frozenset({rule.code})
    status = scan.context.status(m, codes)
    if rule.stands_negated:
        if status is Status.OTHER_PERSON:
            return None
    elif status is not Status.PRESENT:
        return None
    start, end = m.start, m.end
    for spec in rule.near:
        cue = scan.nearest(m, alternatives(spec), rule)
        if (
            cue is None
            or any(read_words[cue.start : cue.end])
            or any(
                overlap(cue, x)
                for x in scan.context.starting("MASK", cue.start - scan.context.longest, cue.end)
            )
            or _closer_area(scan, cue, m)
            or scan.context.status(cue, codes) is not Status.PRESENT
        ):
            return None
        if cue.cls == "NET_CHANGE_WEAK" and any(
            scan.context.has(cls, *scan.context.segment_bounds(scan.segment[m.start]))
            for cls in _EXPLAINS_WEAK
        ):
            return None
        start, end = min(start, cue.start), max(end, cue.end)
    for spec in rule.not_near:
        if scan.nearest(m, alternatives(spec), rule, veto=True) is not None:
            return None
    return start, end


def _closer_area(scan: Scan, cue: Match, m: Match) -> bool:
    """Whether another body area sits nearer the change word than m does."""
    gap = gap_between(cue, m)
    lo = cue.start - gap - scan.context.longest
    return any(
        gap_between(cue, o) < gap and not overlap(o, m) and not overlap(o, cue)
        for cls in _NET_AREAS
        for o in scan.context.starting(cls, lo, cue.end + gap)
    )


def _unread_answer(scan: Scan) -> bool:
    """A reply to a red-flag question that is not "no", not calm and not a question."""
    if scan.first < 0 or any(scan.by_class.get(cls) for cls in _CALM_ANSWER):
        return False
    covered = {i for m in scan.matches for i in range(m.start, m.end)}
    covered.update(i for n in find_numbers(scan.tokens) for i in range(n.start, n.end))
    if not any(
        i not in covered and w not in PUNCT and w.isalpha() and len(w) > 1
        for i, w in enumerate(scan.words)
    ):
        return False  # "2", "N", "ok": nothing beyond answer and filler words
    # A symptom the reply denies, hopes against or gives to someone else was read.
    if any(
        m.cls in HEAD_CLASSES and m.cls in SYMPTOM_CLASSES and scan.status(m) is not Status.PRESENT
        for m in scan.matches
    ):
        return False
    areas = QUESTION_AREAS.get(scan.question, ())
    if any(scan.by_class.get(cls) for cls in areas):
        return False  # the area rules already judged the words about this area
    return not any(scan.context.is_question(s) for s in set(scan.context.sentence))


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
