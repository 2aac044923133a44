"""One reply's phrases and their context, and where each rule's conditions hold in it."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import repeat
from typing import NamedTuple

from triage.context import Context, Status
from triage.cues import CUES
from triage.lexicon import CLASSES, NET_CLASSES
from triage.matcher import Match, PhraseIndex
from triage.model import Severity, TriageConfig
from triage.normalize import Token
from triage.rules import HEAD_CODES, SYMPTOM_CLASSES, YIELDS, Rule

# Classes that own words others give way to; a reply with none of them needs no yielding.
_OWNERS = frozenset().union(*YIELDS.values())
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
# Classes whose phrases are mentions of a symptom for the context rules.
_MENTIONS = frozenset(c for c in SYMPTOM_CLASSES if c in HEAD_CODES and c not in _ANSWER_ONLY)
PUNCT = frozenset({",", ".", "!", "?", ";", ":", "-", "\n", "(", ")", '"', "'", "*", "/"})

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


class Scan:
    """The phrases of one reading of a reply, with their context; discarded after use."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        question: str,
        config: TriageConfig,
        caregiver: bool = False,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.question = question
        self.config = config
        self.words = [t.word for t in tokens]
        self.matches = _INDEX.find_words(self.words)
        self.by_class: dict[str, list[Match]] = _by_class(self.matches)
        if not _OWNERS.isdisjoint(self.by_class):
            kept = _yield_shared(self.matches, self.by_class)
            if len(kept) != len(self.matches):
                self.matches = kept
                self.by_class = _by_class(kept)
        mentions = [(m, HEAD_CODES[m.cls]) for m in self.matches if m.cls in _MENTIONS]
        self.context = Context(
            text, tokens, self.words, self.matches, self.by_class, mentions, caregiver
        )
        self._starts: list[int] | None = None
        self.segment = self.context.segment
        self._status: dict[Match, Status] = {}
        self.first = self._first_content()

    def _first_content(self) -> int:
        filler = self.context.fillers
        for i, w in enumerate(self.words):
            if w not in PUNCT and i not in filler:
                return i
        return -1

    def status(self, m: Match) -> Status:
        """Whether m is present, negated, resolved, ... (cached per match)."""
        if m not in self._status:
            self._status[m] = self.context.status(m, HEAD_CODES.get(m.cls, frozenset()))
        return self._status[m]

    def quote(self, start: int, end: int) -> str:
        """The original words of tokens start..end-1, exactly as written."""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def conditions(self, m: Match, rule: Rule) -> tuple[int, int] | None:
        """The evidence span when the rule's near/not_near conditions hold, else None."""
        start, end = m.start, m.end
        for spec in rule.near:
            found = self.nearest(m, alternatives(spec), rule)
            if found is None:
                return None
            start, end = min(start, found.start), max(end, found.end)
        for spec in rule.not_near:
            if self.nearest(m, alternatives(spec), rule, veto=True) is not None:
                return None
        if rule.not_in_reply and any(self.by_class.get(cls) for cls in rule.not_in_reply):
            return None
        return start, end

    def nearest(
        self, m: Match, classes: Sequence[str], rule: Rule, veto: bool = False
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
                if o is not None and gap_between(m, o) < best_gap:
                    best, best_gap = o, gap_between(m, o)
                continue
            for o in near:
                gap = self._usable(m, o, cls, rule, veto)
                if gap is not None and gap < best_gap:
                    best, best_gap = o, gap
        return best

    def _nearest_of_many(self, m: Match, cls: str, rule: Rule, veto: bool) -> Match | None:
        """nearest() for one class with many phrases, looking at as few as it can."""
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


def _by_class(matches: list[Match]) -> dict[str, list[Match]]:
    """The matches of each class, in reply order."""
    out: dict[str, list[Match]] = {}
    for m in matches:
        group = out.get(m.cls)
        if group is None:
            out[m.cls] = [m]
        else:
            group.append(m)
    return out


@cache
def alternatives(spec: str) -> tuple[str, ...]:
    """The classes of a rule's "A|B" condition; the rule table's few specs are split once."""
    return tuple(spec.split("|"))


def _yield_shared(matches: list[Match], by_class: dict[str, list[Match]]) -> list[Match]:
    """The matches less those whose words another reading owns (rules.YIELDS)."""
    out = matches
    for cls, owners in YIELDS.items():  # in order: one class's yielding can feed the next
        if cls not in by_class or owners.isdisjoint(by_class):
            continue
        owned = {i for o in out if o.cls in owners for i in range(o.start, o.end)}
        out = [m for m in out if m.cls != cls or owned.isdisjoint(range(m.start, m.end))]
    return out


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


def overlap(a: Match, b: Match) -> bool:
    """Whether two phrases share a token."""
    return a.start < b.end and b.start < a.end


def gap_between(a: Match, b: Match) -> int:
    """Tokens between two phrases; 0 when they touch or overlap."""
    return max(0, a.start - b.end, b.start - a.end)
