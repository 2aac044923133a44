"""Find every lexicon and cue phrase in a token list with one pass over a word trie."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from triage.normalize import Token, tokenize

_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


class _Node:
    """One trie node: the next words, and the classes of phrases ending here."""

    __slots__ = ("classes", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.classes: list[str] = []


class Match(NamedTuple):
    """A phrase of class `cls` covering tokens start..end-1."""

    cls: str
    start: int
    end: int


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
        self.words: set[str] = set()
        for cls, phrases in classes.items():
            for phrase in phrases:
                for spelled in expand(phrase):
                    words = [t.word for t in tokenize(spelled, fuzzy=False)]
                    if words:
                        for variant in _third_person(words):
                            self._add(variant, cls)

    def _add(self, words: list[str], cls: str) -> None:
        node = self._root
        for w in words:
            self.words.add(w)
            node = node.next.setdefault(w, _Node())
        if cls not in node.classes:
            node.classes.append(cls)

    def find(self, tokens: list[Token]) -> list[Match]:
        """Every phrase occurrence, minus those inside a longer phrase of the same group."""
        words = [t.word for t in tokens]
        n = len(words)
        found: list[Match] = []
        root = self._root.next
        for i in range(n):
            node = root.get(words[i])
            j = i + 1
            while node is not None:
                if node.classes:
                    found.extend(Match(cls, i, j) for cls in node.classes)
                if j >= n:
                    break
                node = node.next.get(words[j])
                j += 1
        return self._prune(found)

    def _prune(self, found: list[Match]) -> list[Match]:
        # Longest match wins within a group: "no more" is a resolution cue, not "no";
        # "fell asleep" is numbness, not a fall; "inner thigh" is the groin, not the leg.
        if len(found) < 2:
            return found
        kept = [m for m in found if not any(m.cls in g for g in self._groups)]
        for group in self._groups:
            members = [m for m in found if m.cls in group]
            if not members:
                continue
            longest: dict[int, int] = {}
            for m in members:
                if m.end > longest.get(m.start, -1):
                    longest[m.start] = m.end
            starts = sorted(longest)
            reach_before: dict[int, int] = {}
            reach = -1
            for s in starts:
                reach_before[s] = reach
                reach = max(reach, longest[s])
            for m in members:
                if reach_before[m.start] >= m.end or longest[m.start] > m.end:
                    continue
                kept.append(m)
        kept.sort(key=lambda m: (m.start, m.end))
        return kept
