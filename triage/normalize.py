"""Turn a raw reply into canonical word tokens that remember where they came from."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from triage.model import MAX_TRIAGE_CHARS
from triage.spelling import (
    CANONICAL,
    FUZZY_PROTECTED,
    MERGE_LONG_FIRST,
    MERGES,
    MERGES_LONG,
    VOICE_AFTER_POSSESSIVE,
    VOICE_PAIRS,
    VOICE_PAIRS_AFTER_POSSESSIVE,
    VOICE_SOUNDALIKES,
)
from triage.typos import MIN_LENGTH, meaning, nearest

# Accents folded one character for one, so offsets into the original text stay valid;
# ñ is kept because "año" (year) must not become "ano" (anus).
_FOLD = str.maketrans(
    {
        "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "é": "e", "è": "e", "ê": "e",
        "ë": "e", "í": "i", "ì": "i", "î": "i", "ï": "i", "ó": "o", "ò": "o", "ô": "o",
        "ö": "o", "õ": "o", "ú": "u", "ù": "u", "û": "u", "ü": "u", "ç": "c",
        "\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"',
        "¿": "?", "¡": "!", "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip

# The characters _strip_mark may change: all but ASCII and ñ.
_MARKED = re.compile("[^\x00-\x7fñ]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-zñ]+(?:'[a-zñ]+)*|[^\s\w]|_", re.UNICODE)
_REPEAT3 = re.compile(r"(.)\1{2,}")

SENTENCE_END = frozenset({".", "?", "!", ";", "\n"})
POSSESSIVES = frozenset({"my", "his", "her", "the", "left", "right", "both", "mi", "mis", "su"})


class Token:
    """A canonical word with the span of original text it stands for.

    `alternatives` holds other readings of a typo equally near words that mean different
    things ("gasing": gaping or gasping); the reply is read once per reading.
    """

    __slots__ = ("alternatives", "end", "start", "word")

    def __init__(self, word: str, start: int, end: int, alternatives: tuple[str, ...] = ()) -> None:
        self.word = word
        self.start = start
        self.end = end
        self.alternatives = alternatives

    def __repr__(self) -> str:
        more = f", {self.alternatives!r}" if self.alternatives else ""
        return f"Token({self.word!r}, {self.start}, {self.end}{more})"


def bound(text: str) -> tuple[str, bool]:
    """The part of a reply triage reads, and whether that is less than all of it.

    At most MAX_TRIAGE_CHARS characters, cut at a word boundary so no word is read in half.
    """
    if len(text) <= MAX_TRIAGE_CHARS:
        return text, False
    head = text[: MAX_TRIAGE_CHARS + 1]
    if head[-1].isspace():
        return head[:-1], True
    words = head.rsplit(None, 1)
    # One word longer than the limit has no boundary to cut at.
    return (words[0] if len(words) == 2 else head[:-1]), True


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one output character per input character."""
    low = text.lower()
    if len(low) != len(text):
        # A few characters (e.g. dotted capital I) grow when lower-cased; fold one at a time.
        low = "".join(ch.lower()[:1] or ch for ch in text)
    folded = low.translate(_FOLD)
    if folded.isascii():
        return folded
    return _MARKED.sub(lambda m: _strip_mark(m.group()), folded)


def _strip_mark(ch: str) -> str:
    if ch.isascii() or ch == "ñ":
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if len(base) == 1 else ch


@lru_cache(maxsize=8192)
def correct(word: str, fuzzy: bool = True) -> tuple[str, ...]:
    """The canonical reading of a typed word; more than one for a typo tie (typos.nearest)."""
    canonical = CANONICAL.get(word)
    if canonical is not None:
        return (canonical,)
    if _REPEAT3.search(word):
        # "numbbbb", "soooo": emphasis, not a different word; or a slip beside a double letter
        # ("agarrr": agarrar, "chilll": chill or chills). Both readings stand when they differ.
        readings = [
            CANONICAL.get(squeezed, squeezed)
            for squeezed in (_REPEAT3.sub(r"\1\1", word), _REPEAT3.sub(r"\1", word))
            if squeezed in FUZZY_PROTECTED or squeezed in CANONICAL
        ][:1]
        if fuzzy and len(word) >= MIN_LENGTH and word.isalpha():
            known = {meaning(r) for r in readings}
            readings += [r for r in nearest(word) if meaning(r) not in known]
        if readings:
            return tuple(readings)
        word = _REPEAT3.sub(r"\1", word)
    if "ñ" in word:
        # "año" (year) is told from "ano" in CANONICAL; elsewhere "daño" and "dano" are one word.
        return correct(word.replace("ñ", "n"), fuzzy)
    if word.endswith("'s") and len(word) > 3:
        # "my leg's numb", "my mom's knee": the noun carries the meaning.
        return correct(word[:-2], fuzzy)
    if fuzzy and len(word) >= MIN_LENGTH and word not in FUZZY_PROTECTED and word.isalpha():
        return nearest(word) or (word,)
    return (word,)


_KEYCAP = frozenset({"\ufe0f", "\u20e3"})
_ODD_DIGITS = re.compile("\\d[oli]|[oli]\\d|\u20e3")
# A letter typed for a digit beside a digit: "1o" and "l0" are 10, "1O" too.
_DIGIT_LOOKALIKE = {"o": "0", "l": "1", "i": "1"}


def _join_digits(raw: list[Token], text: str) -> list[Token]:
    """Numbers written oddly, as one number: keycap emoji ("1\ufe0f\u20e30\ufe0f\u20e3") and a
    letter for a digit typed against a digit ("1o", "l0")."""
    if not _ODD_DIGITS.search(text):
        return raw
    out: list[Token] = []
    cap_end = -1
    for t in raw:
        if t.word in _KEYCAP:
            cap_end = t.end
            continue
        prev = out[-1] if out else None
        glued = prev is not None and prev.end == t.start
        keycaps = cap_end == t.start and prev is not None and prev.word.isdigit()
        if prev is not None and (glued or keycaps) and _digit_pair(prev.word, t.word):
            out[-1] = Token(_as_digits(prev.word) + _as_digits(t.word), prev.start, t.end)
            continue
        out.append(t)
    return out


def _digit_pair(a: str, b: str) -> bool:
    digits = (a.isdigit() or a in _DIGIT_LOOKALIKE) and (b.isdigit() or b in _DIGIT_LOOKALIKE)
    return digits and (a.isdigit() or b.isdigit()) and len(a) + len(b) <= 3


def _as_digits(w: str) -> str:
    return _DIGIT_LOOKALIKE.get(w, w)


# Emoji that stand for a word: "🤒 all night", "🩸 on the bandage". Not 💩: "feel like 💩".
_SYMBOLS = {"\U0001f912": "fever", "\U0001fa78": "blood", "\U0001f6bd": "toilet"}


def tokenize(text: str, channel: str = "sms", fuzzy: bool = True) -> list[Token]:
    """Split a reply into canonical tokens; punctuation and line breaks stay as tokens."""
    folded = fold(text)
    raw: list[Token] = []
    breaks = "\n" in folded
    for m in _TOKEN.finditer(folded):
        start, end = m.span()
        raw.append(Token(m.group(), start, end))
        if breaks:
            # A line break ends a sentence the way a full stop does.
            nl = folded.find("\n", end, end + 4)
            if nl != -1 and folded[end:nl].strip() == "":
                raw.append(Token("\n", nl, nl + 1))
    raw = _join_digits(raw, folded)
    readings = [
        correct(t.word, fuzzy) if t.word[0].isalpha() else (_SYMBOLS.get(t.word, t.word),)
        for t in raw
    ]
    words = [r[0] for r in readings]
    if channel == "voice":
        _fix_soundalikes(words)
    _fix_know(words)
    _fix_letter_pee(words)
    _fix_number_soundalikes(words)
    tokens: list[Token] = []
    # The raw tokens are this call's own: each takes its canonical reading in place. A word
    # emptied by a two-word sound-alike ("bow wells") lends its start to the word after it, so
    # the evidence quotes both.
    lent: int | None = None
    for w, t, r in zip(words, raw, readings, strict=True):
        if w == "":
            lent = t.start if lent is None else lent
            continue
        if lent is not None:
            t.start, lent = lent, None
        t.word = w
        t.alternatives = r[1:]
        tokens.append(t)
    return _merge(tokens)


def _fix_soundalikes(words: list[str]) -> None:
    for i, w in enumerate(words):
        after_possessive = i > 0 and words[i - 1] in POSSESSIVES
        pair = (w, words[i + 1]) if i + 1 < len(words) else None
        heard = pair and (
            VOICE_PAIRS.get(pair) or (after_possessive and VOICE_PAIRS_AFTER_POSSESSIVE.get(pair))
        )
        if heard:
            words[i], words[i + 1] = "", heard  # one token, spanning both words (tokenize)
        elif after_possessive and w in VOICE_AFTER_POSSESSIVE and not _kept_as_heard(words, i):
            words[i] = VOICE_AFTER_POSSESSIVE[w]
        elif w in VOICE_SOUNDALIKES:
            words[i] = VOICE_SOUNDALIKES[w]
        elif w == "week" and i > 0 and words[i - 1] in _WEAK_BEFORE:
            words[i] = "weak"
        elif w == "ate" and i > 0 and words[i - 1] in ("a", "an", "at", "about", "like", "around"):
            words[i] = "eight"  # "a ate": a pain score heard as a verb
        elif w in ("fill", "field") and i > 0 and words[i - 1] in _FEEL_BEFORE:
            words[i] = "feel"  # "i cant fill my toes"


# Number words heard or typed as their sound-alikes: "like a tin", "one hundred and too".
_NUMBER_SOUNDALIKES = {
    "ate": "eight", "tin": "ten", "for": "four", "fore": "four", "too": "two", "to": "two",
    "won": "one", "nein": "nine", "tree": "three", "free": "three", "sicks": "six",
}  # fmt: skip
_SCORE_BEFORE = frozenset(
    {"", "a", "an", "about", "around", "like", "maybe", "prob", "probably", "uh", "um", "er", "eh"}
)
_SCORE_AFTER = frozenset({"", ".", "!", "?", ",", "out", "/", "now", "today", "tonight", "rn", "i"})


def _fix_number_soundalikes(words: list[str]) -> None:
    if _NUMBER_SOUNDALIKES.keys().isdisjoint(words):
        return
    for i, w in enumerate(words):
        if w not in _NUMBER_SOUNDALIKES:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        spoken = before in ("hundred", "cien") or (
            before in ("and", "y") and i > 1 and words[i - 2] in ("hundred", "cien")
        )
        if spoken or (before in _SCORE_BEFORE and after in _SCORE_AFTER):
            words[i] = _NUMBER_SOUNDALIKES[w]


# "Can't fill", "barely field": after these, a sound-alike of "feel" is "feel".
_FEEL_BEFORE = frozenset({"cant", "dont", "didnt", "barely", "hardly", "really", "even"})
# "My food" is "my foot" unless the sentence is about eating ("eat my food").
_EATING = frozenset(
    {"eat", "eating", "ate", "get", "getting", "swallow", "swallowing", "chew", "chewing", "keep"}
)
_EATING_AFTER = frozenset({"down", "stuck", "gets", "keeps", "goes", "went", "wont", "comes"})
_FOOT_DOING = frozenset(
    {"dragging", "catching", "slapping", "flopping", "tripping", "tingling", "twitching",
     "cramping", "swelling", "going", "falling", "giving", "numb", "asleep", "weak"}
)  # fmt: skip


_CALF_SIGNS = frozenset(
    {"swole", "swollen", "swelling", "swelled", "hot", "warm", "red", "tight", "puffy", "hard"}
)


def _kept_as_heard(words: list[str], i: int) -> bool:
    """Whether a possessive sound-alike ("my food") means what it says here."""
    if words[i] == "cough":
        # "my cough is worse" stays a cough; "my cough is swole up and hot" is the calf.
        return _CALF_SIGNS.isdisjoint(words[i + 1 : i + 5])
    if words[i] != "food":
        return False
    before = words[i - 2] if i > 1 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    then = words[i + 2] if i + 2 < len(words) else ""
    if after in _EATING_AFTER and then in _FOOT_DOING:
        return False  # "my food keeps dragging": food does not drag, a weak foot does
    return before in _EATING or after in _EATING_AFTER


_WEAK_BEFORE = frozenset(
    {
        "feel", "feels", "feeling", "felt", "is", "are", "so", "very", "really", "little", "bit",
        "legs", "leg", "arm", "arms", "kinda", "too", "real", "pretty", "getting", "gone", "super",
        "kind", "sort", "and", "r",
    }
)  # fmt: skip
_KNOW_BEFORE = frozenset(
    {
        "dont", "didnt", "doesnt", "i", "you", "to", "we", "they", "let", "lets", "not", "do",
        "did",
    }
)  # fmt: skip


def _fix_know(words: list[str]) -> None:
    """Speech recognition and hurried typing swap "no" and "know"; the neighbours tell which."""
    if "no" not in words and "know" not in words:
        return
    for i, w in enumerate(words):
        before = words[i - 1] if i > 0 else ""
        if w == "no" and before in _KNOW_BEFORE and before not in ("to", "not"):
            words[i] = "know"
        elif w == "know" and before not in _KNOW_BEFORE:
            words[i] = "no"


# Dictation writes "pee" as the letter: "can't hold my P", "I need to P".
_PEE_BEFORE = frozenset(
    {"my", "his", "her", "hold", "to", "go", "cant", "cannot", "couldnt", "gotta", "take", "took",
     "a", "the", "no"}
)  # fmt: skip


def _fix_letter_pee(words: list[str]) -> None:
    if "p" not in words:
        return
    for i, w in enumerate(words):
        if w != "p" or i == 0 or words[i - 1] not in _PEE_BEFORE:
            continue
        following = [x for x in words[i + 1 : i + 3] if x != "."][:1]
        # A letter of an abbreviation stays one: "my P.T.", "5 p.m.", "go to P T".
        if not (following and len(following[0]) == 1 and following[0].isalpha()):
            words[i] = "pee"


# Every merge starts with one of these pairs of words.
_MERGE_PAIRS = frozenset(MERGES) | {key[:2] for key in MERGES_LONG}


def _merge(tokens: list[Token]) -> list[Token]:
    """Join multi-word spellings of one idea ("can not", "unable to") into one token."""
    words = [t.word for t in tokens]
    if " " not in "".join(words) and _MERGE_PAIRS.isdisjoint(pairwise(words)):
        return tokens  # most replies: no two words to join, no spelling to expand
    out: list[Token] = []
    i = 0
    n = len(tokens)
    # The token at position i, once a merge has joined it with the one before.
    joined: Token | None = None
    while i < n:
        tok = joined or tokens[i]
        joined = None
        if tok.word in MERGE_LONG_FIRST:
            for size in (5, 4, 3):
                key = (tok.word, *(t.word for t in tokens[i + 1 : i + size]))
                long_merge = MERGES_LONG.get(key) if len(key) == size else None
                if long_merge is not None:
                    last = tokens[i + size - 1]
                    out.extend(Token(part, tok.start, last.end) for part in long_merge.split())
                    i += size
                    break
            else:
                long_merge = None
            if long_merge is not None:
                continue
        if i + 1 < n:
            merged = MERGES.get((tok.word, tokens[i + 1].word))
            if merged is not None:
                # The joined word may join again: "can t really" is "cant really", then "cant".
                joined = Token(merged, tok.start, tokens[i + 1].end)
                i += 1
                continue
        if " " in tok.word:
            # A canonical spelling that expands ("idk" -> "i dont know") keeps the whole span.
            out.extend(Token(part, tok.start, tok.end) for part in tok.word.split())
        else:
            out.append(tok)
        i += 1
    return out
