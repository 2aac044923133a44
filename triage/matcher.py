"""Find every lexicon and cue phrase in a token list with one pass over a word trie."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import NamedTuple

from triage.normalize import Token, tokenize

_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_SPAN = itemgetter(1, 2)


class _Node:
    """One trie node: the next words, and the classes of phrases ending here; once the trie is
    built, those classes split into the ones in no group and the others with their groups."""

    __slots__ = ("classes", "grouped", "next", "plain")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.classes: list[str] = []
        self.plain: tuple[str, ...] = ()
        self.grouped: tuple[tuple[str, tuple[int, ...]], ...] = ()


class Match(NamedTuple):
    """A phrase of class `cls` covering tokens start..end-1."""

    cls: str
    start: int
    end: int


# Match(cls, i, j) without the Python-level __new__ of a NamedTuple: the phrase finder makes
# one per phrase found, the most made object of a reply.
_new_match = tuple.__new__


def expand(pattern: str) -> list[str]:
    """All spellings of a phrase: "(a|b) c [d]" gives "a c", "a c d", "b c", "b c d"."""
    m = _GROUP.search(pattern)
    if m is None:
        return [" ".join(pattern.split())]
    options = m.group(1).split("|") if m.group(1) is not None else [*m.group(2).split("|"), ""]
    head, tail = pattern[: m.start()], pattern[m.end() :]
    return [s for opt in options for s in expand(head + opt + tail)]


_THIRD = {"myself": ("himself", "herself"), "my": ("his", "her")}


def _third_person(words: list[str]) -> list[list[str]]:
    """A caregiver writes "peed himself" where the patient writes "peed myself"."""
    out = [words]
    for i, w in enumerate(words):
        if w in _THIRD and len(words) > 1:
            out.extend([*words[:i], alt, *words[i + 1 :]] for alt in _THIRD[w])
    return out


class PhraseIndex:
    """A trie over canonical words; classes in one of `groups` compete for the longest match."""

    def __init__(
        self, classes: Mapping[str, Iterable[str]], groups: Iterable[frozenset[str]]
    ) -> None:
        self._root = _Node()
        self._groups = tuple(groups)
        # The groups each class competes in (a class may be in more than one).
        self._groups_of: dict[str, tuple[int, ...]] = {}
        for g, group in enumerate(self._groups):
            for cls in group:
                self._groups_of[cls] = (*self._groups_of.get(cls, ()), g)
        self.words: set[str] = set()
        for cls, phrases in classes.items():
            for phrase in phrases:
                for spelled in expand(phrase):
                    words = [t.word for t in tokenize(spelled, fuzzy=False)]
                    if words:
                        for variant in _third_person(words):
                            self._add(variant, cls)
        self._split(self._root)

    def _split(self, node: _Node) -> None:
        # Which classes compete is known per node, so matching sorts them without a lookup.
        node.plain = tuple(c for c in node.classes if c not in self._groups_of)
        node.grouped = tuple((c, self._groups_of[c]) for c in node.classes if c in self._groups_of)
        for child in node.next.values():
            self._split(child)

    def _add(self, words: list[str], cls: str) -> None:
        node = self._root
        for w in words:
            self.words.add(w)
            node = node.next.setdefault(w, _Node())
        if cls not in node.classes:
            node.classes.append(cls)

    def find(self, tokens: list[Token]) -> list[Match]:
        """Every phrase occurrence, minus those inside a longer phrase of the same group."""
        return self.find_words([t.word for t in tokens])

    def find_words(self, words: list[str]) -> list[Match]:
        """find() for the tokens' words."""
        n = len(words)
        # Phrases of classes in no group are all kept; each group's compete below.
        kept: list[Match] = []
        append = kept.append
        by_group: list[list[Match]] = [[] for _ in self._groups]
        first = self._root.next.get
        for i, word in enumerate(words):
            node = first(word)
            j = i + 1
            while node is not None:
                for cls in node.plain:
                    append(_new_match(Match, (cls, i, j)))
                for cls, groups in node.grouped:
                    m = _new_match(Match, (cls, i, j))
                    for g in groups:
                        by_group[g].append(m)
                if j >= n:
                    break
                node = node.next.get(words[j])
                j += 1
        # Longest match wins within a group: "no more" is a resolution cue, not "no";
        # "fell asleep" is numbness, not a fall; "inner thigh" is the groin, not the leg.
        # Members come in reply order (by start, then end), so each start's longest phrase is
        # the last of its run, and one pass knows how far the earlier starts reach.
        for members in by_group:
            reach = -1
            i = 0
            n = len(members)
            while i < n:
                start = members[i].start
                j = i + 1
                while j < n and members[j].start == start:
                    j += 1
                longest = members[j - 1].end
                if reach < longest:
                    if j == i + 1:
                        append(members[i])
                    else:
                        kept.extend(m for m in members[i:j] if m.end == longest)
                    reach = longest
                i = j
        kept.sort(key=_SPAN)
        return kept
