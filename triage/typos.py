"""Typo correction: the lexicon words nearest a misspelt word, and ties between them."""

from __future__ import annotations

from functools import lru_cache

from triage.cues import CUES
from triage.lexicon import CLASSES, NET_CLASSES
from triage.spelling import CANONICAL, FUZZY_TARGETS, phrase_words

# Shorter words collide with too many others ("fear", "feet", "fever"); CANONICAL lists the
# short misspellings worth fixing ("fevr", "num").
MIN_LENGTH = 5


def edit_limit(word: str) -> int:
    """How many edits a typed word may be from the word it was meant to be."""
    return 2 if len(word) >= 10 else 1


def within(a: str, b: str, edits: int) -> bool:
    """Whether a is at most `edits` edits from b: a letter changed, added, dropped, or two
    neighbours swapped (optimal string alignment distance)."""
    n = 0
    end = min(len(a), len(b))
    while n < end and a[n] == b[n]:
        n += 1
    a, b = a[n:], b[n:]
    if not a or not b:
        return len(a) + len(b) <= edits
    if edits == 0:
        return False
    # The first difference is a changed, an extra, a missing or a swapped letter.
    return (
        within(a[1:], b[1:], edits - 1)
        or within(a[1:], b, edits - 1)
        or within(a, b[1:], edits - 1)
        or (a[:2] == b[1::-1] and within(a[2:], b[2:], edits - 1))
    )


def deletions(word: str, depth: int) -> set[str]:
    """The word and every string made from it by deleting up to `depth` letters."""
    out = {word}
    layer = {word}
    for _ in range(depth):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        out |= layer
    return out


# Two words within k edits (a swap counts one) share a string k deletions from each, whichever
# letter the typo hit, the first included: one dictionary lookup per deletion of the typed word
# finds every target in reach without measuring the distance to all of them.
_BY_DELETION: dict[str, list[str]] = {}
for _target in FUZZY_TARGETS:
    # A typed word of ten letters or more reaches two edits, so targets from eight letters on.
    for _key in deletions(_target, 2 if len(_target) >= 8 else 1):
        _BY_DELETION.setdefault(_key, []).append(_target)

# No target is in reach of a longer word; its deletions are not worth listing (they grow with
# the square of its length, and a reply may be one long run of letters).
_LONGEST = max(map(len, FUZZY_TARGETS))

# What a word means to the rules: the lexicon and cue classes whose phrases hold it.
_CLASSES_OF: dict[str, set[str]] = {}
for _cls, _phrases in (*CLASSES.items(), *NET_CLASSES.items(), *CUES.items()):
    for _phrase in _phrases:
        for _word in phrase_words(_phrase):
            _CLASSES_OF.setdefault(_word, set()).add(_cls)


@lru_cache(maxsize=4096)
def meaning(word: str) -> frozenset[str]:
    """The lexicon and cue classes a canonical word belongs to."""
    return frozenset(c for w in word.split() for c in _CLASSES_OF.get(w, ()))


def nearest(word: str) -> tuple[str, ...]:
    """Canonical readings of a misspelt word: its nearest lexicon words within the edit limit.

    Empty when no lexicon word is in reach. Nearest means fewest edits (a swap counts one):
    "enrumecida" is one edit from "entumecida" (numb) and two from "enrojecida" (reddened), so
    it is numb. Several readings only when equally near words mean different things to the
    rules ("gasing": gaping wound or gasping for breath); the caller must not pick one in
    silence. Equally near words that mean the same ("neighboar": neighbor, neighbour) give the
    first.
    """
    if len(word) > _LONGEST + edit_limit(word):
        return ()
    found: list[str] = []
    for edits in range(1, edit_limit(word) + 1):
        reach = {
            target
            for key in deletions(word, edits)
            for target in _BY_DELETION.get(key, ())
            if abs(len(target) - len(word)) <= edits
        }
        found = [target for target in reach if within(word, target, edits)]
        if found:
            break
    readings: dict[frozenset[str], str] = {}
    for target in sorted(found):
        canonical = CANONICAL.get(target, target)
        readings.setdefault(meaning(canonical), canonical)
    return tuple(readings.values())
