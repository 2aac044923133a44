"""Decide whether a symptom mention is present now, for the patient (ConText for text messages)."""

# Scopes end at clause boundaries (clinical-triage.md 4.2): punctuation, "but"/"pero" and the other
# TERMINATOR cues, a new "my ..." clause after a bare "no", and at another symptom unless a list
# joins them ("no fever, chills or redness"). Cues inside the symptom phrase itself ("can't pee",
# "no siento las piernas") never negate it. Doubt keeps the symptom and asks for review.

from __future__ import annotations

from enum import Enum

from triage.matcher import Match
from triage.normalize import SENTENCE_END, Token

CONTRAST = frozenset(
    {"but", "pero", "though", "tho", "although", "aunque", "however", "sino", "except"}
)
_BARE_NO = frozenset({"no", "nope", "nah", "none", "not"})
_LIGHT = frozenset(
    {"?", ":", "-", "=", ",", "is", "are", "its", "was", "any", "um", "uh", ".", "!"}
)
_MAX_NEG_REACH = 7
_SITES = ("LIMB", "SADDLE", "BILATERAL", "ONE_SIDE", "TRUNK", "WOUND_SITE", "CALF")
_CLAUSE_OPENERS = frozenset(
    {",", "-", "and", "y", "la", "el", "los", "las", "mi", "mis", "the", "my", "i", "im",
     "now", "ahora", "todo", "everything", "its", "it", "but", "pero", "so", "just"}
)  # fmt: skip
_INABILITY = frozenset(
    {"cant", "dont", "no", "not", "never", "havent", "didnt", "wont", "doesnt", "isnt", "cannot"}
)


class Status(Enum):
    """Why a mention does or does not count."""

    PRESENT = "present"
    NEGATED = "negated"
    RESOLVED = "resolved"
    HYPOTHETICAL = "hypothetical"
    OTHER_PERSON = "other_person"
    PRE_EXISTING = "pre_existing"


class Context:
    """Cue positions of one reply, computed once and asked about each mention."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        matches: list[Match],
        mentions: list[tuple[Match, frozenset[str]]],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.words = [t.word for t in tokens]
        self.by_class: dict[str, list[Match]] = {}
        for m in matches:
            self.by_class.setdefault(m.cls, []).append(m)
        # Each mention with the codes it can name; used to join lists and to end scopes.
        self.mentions = sorted(mentions, key=lambda mc: mc[0].start)
        self.sentence: list[int] = []
        self.segment: list[int] = []
        sent = seg = 0
        for w in self.words:
            self.sentence.append(sent)
            if w in CONTRAST:
                seg += 1
            self.segment.append(seg)
            if w in SENTENCE_END:
                sent += 1
                seg += 1
        self.terminators = {m.start for m in self.by_class.get("TERMINATOR", ())}
        self.caregiver = bool(self.by_class.get("CAREGIVER"))
        self.site_tokens = {
            i for cls in _SITES for m in self.by_class.get(cls, ()) for i in range(m.start, m.end)
        }
        self._question: dict[int, bool] = {}

    # --- helpers ---------------------------------------------------------------------------
    def cues(self, cls: str, span: Match) -> list[Match]:
        """Cues of a class that do not overlap the mention itself."""
        return [c for c in self.by_class.get(cls, ()) if c.end <= span.start or c.start >= span.end]

    def same_sentence(self, a: int, b: int) -> bool:
        """Whether tokens a and b are in one sentence."""
        return self.sentence[a] == self.sentence[b]

    def is_question(self, sent: int) -> bool:
        """A sentence ending in "?" or opening with a question word."""
        if sent in self._question:
            return self._question[sent]
        idx = [i for i, s in enumerate(self.sentence) if s == sent]
        fillers = {i for m in self.by_class.get("FILLER", ()) for i in range(m.start, m.end)}
        content = [i for i in idx if i not in fillers and self.words[i] not in _LIGHT]
        first = content[0] if content else None
        led = first is not None and any(
            m.start == first for m in self.by_class.get("QUESTION_LEAD", ())
        )
        # "weakness? a little": a checklist echo of the question, not a question.
        result = led or (any(self.words[i] == "?" for i in idx) and len(content) > 3)
        self._question[sent] = result
        return result

    def in_sentence(self, cls: str, sent: int) -> list[Match]:
        """Phrases of a class in sentence number `sent`."""
        return [m for m in self.by_class.get(cls, ()) if self.sentence[m.start] == sent]

    def _mentions_between(self, a: int, b: int) -> list[tuple[Match, frozenset[str]]]:
        return [mc for mc in self.mentions if mc[0].start >= a and mc[0].end <= b]

    # --- status ---------------------------------------------------------------------------
    def status(self, span: Match, codes: frozenset[str]) -> Status:
        """Whether the mention counts; the first matching reason wins."""
        if self._negated_before(span, codes) or self._negated_after(span):
            return Status.NEGATED
        if self._resolved(span, codes):
            return Status.RESOLVED
        if self._hypothetical(span):
            return Status.HYPOTHETICAL
        if self._other_person(span):
            return Status.OTHER_PERSON
        if self._pre_existing(span, codes):
            return Status.PRE_EXISTING
        return Status.PRESENT

    def hedged(self, span: Match) -> bool:
        """Doubt words in the mention's clause ("not sure if my leg is weak")."""
        seg = self.segment[span.start]
        if self.in_sentence("OWN_STATE_Q", self.sentence[span.start]):
            return True  # "is it bad if I can't feel ...?": present, but a nurse should ask
        return any(self.segment[c.start] == seg for c in self.cues("HEDGE", span))

    def _scope_open(self, cue_end: int, span: Match, codes: frozenset[str], bare: bool) -> bool:
        """Whether a cue ending at cue_end still reaches the mention."""
        if span.start - cue_end > _MAX_NEG_REACH:
            return False
        words = self.words
        prev_codes: frozenset[str] | None = None
        prev_end = cue_end
        for other, other_codes in self._mentions_between(cue_end, span.start):
            if other.start < prev_end:
                continue
            if not self._joined(prev_end, other.start, prev_codes, other_codes):
                return False
            prev_codes, prev_end = other_codes, other.end
        if not self._joined(prev_end, span.start, prev_codes, codes):
            return False
        # "no my feet are numb" (speech, no comma): a new clause about the body begins.
        return not (
            bare
            and cue_end < span.start
            and words[cue_end] in ("my", "i", "im", "mi", "mis", "ive")
        )

    def _joined(
        self,
        a: int,
        b: int,
        prev_codes: frozenset[str] | None,
        codes: frozenset[str],
    ) -> bool:
        """Whether tokens a..b-1 keep a negation running from one item to the next."""
        words = self.words
        same = prev_codes is not None and bool(prev_codes & codes)
        has_or = False
        for i in range(a, b):
            w = words[i]
            if w in SENTENCE_END or w in CONTRAST or i in self.terminators:
                return False
            if w in ("or", "nor", "ni", "o", "/"):
                has_or = True
            elif w in ("and", "y", "&", "e", "+", ","):
                if w == "," and self._list_follows(i):
                    continue
                if not same:
                    return False
        # Two symptoms side by side with no joining word start a new clause in a transcript.
        return prev_codes is None or has_or or same

    def _list_follows(self, comma: int) -> bool:
        """A comma inside "no fever, chills, or redness": an "or" closes the list later on."""
        words = self.words
        for i in range(comma + 1, min(len(words), comma + 8)):
            w = words[i]
            if w in ("or", "nor", "ni", "o"):
                return True
            if w in SENTENCE_END or w in CONTRAST or i in self.terminators:
                return False
        return False

    def _negated_before(self, span: Match, codes: frozenset[str]) -> bool:
        best: Match | None = None
        for c in self.cues("NEG_PRE", span):
            if (
                c.end <= span.start
                and self.same_sentence(c.start, span.start)
                and (best is None or c.end > best.end)
            ):
                best = c
        if best is None:
            return False
        if self.words[span.start] in _INABILITY:
            # "no, no puedo caminar": an inability phrase carries its own negation,
            # so a "no" before it adds to it (Spanish double negation) instead of denying it.
            return False
        bare = self.words[best.start] in _BARE_NO and best.end - best.start == 1
        if bare and self._answers_previous(best.start) and self._answered_next(span.start, "YES"):
            return False  # "numbness no weakness a little": the "no" answered numbness
        return self._scope_open(best.end, span, codes, bare)

    def _negated_after(self, span: Match) -> bool:
        words = self.words
        for c in self.cues("NEG_POST", span):
            if c.start < span.end or c.start - span.end > 5:
                continue
            between = range(span.end, c.start)
            heavy = [i for i in between if words[i] not in _LIGHT]
            # "numb toes? nope": a checklist echo may name the site before the answer.
            echo = all(i in self.site_tokens for i in heavy) and (
                any(words[i] in ("?", ":", "-") for i in between)
                or self._answered_next(c.end, "NEG_POST")
            )
            if (heavy and not echo) or (not heavy and c.start - span.end > 3):
                continue
            if self._mentions_between(span.end, c.start):
                continue
            nxt = c.end
            if nxt >= len(words) or words[nxt] in SENTENCE_END or words[nxt] in (",", "-"):
                return True
            if words[nxt] in CONTRAST or nxt in self.terminators or words[nxt] in ("and", "y"):
                return True
            if self._answered_next(nxt, "NEG_POST"):
                # "numbness no fever no": a spoken checklist, one answer per item. Only when every
                # item is denied: "numbness no fever yes" may be "numbness, no fever, yes ..."
                # (clinical-triage.md 4.3: no downgrade beside another red flag).
                return True
        return False

    def _answers_previous(self, i: int) -> bool:
        """Whether token i directly follows a symptom, with only sites or light words between."""
        words = self.words
        j = i - 1
        while j >= 0 and i - j <= 4 and (j in self.site_tokens or words[j] in _LIGHT):
            j -= 1
        return any(m.end == j + 1 for m, _ in self.mentions)

    def _answered_next(self, i: int, answer: str) -> bool:
        """Whether a symptom starts at token i and is itself answered ("... fever no")."""
        words = self.words
        for m, _ in self.mentions:
            if m.start != i:
                continue
            j = m.end
            while (
                j < len(words) and j - m.end < 4 and (j in self.site_tokens or words[j] in _LIGHT)
            ):
                j += 1
            return any(c.start == j for c in self.by_class.get(answer, ()))
        return False

    def _resolved(self, span: Match, codes: frozenset[str]) -> bool:
        for c in self.cues("RESOLVED_PRE", span):
            if (
                c.end <= span.start
                and span.start - c.end <= 4
                and self._joined(c.end, span.start, None, codes)
            ):
                return True
        seg = self.segment[span.start]
        words = self.words
        # "can't hold my pee anymore": after an inability, "anymore" says it is still so.
        inability = any(w in _INABILITY for w in words[span.start : span.end])
        ends = [
            c
            for c in self.cues("RESOLVED_END", span)
            if not inability and self._clause_ends_at(c.end)
        ]
        short = set(ends)
        for c in [*self.cues("RESOLVED_POST", span), *ends]:
            if c.start < span.end:
                continue
            between = self._mentions_between(span.end, c.start)
            if not all(mc[1] & codes for mc in between):
                continue
            gap = self.segment[c.start] - seg
            if gap == 0 and c.start - span.end <= (6 if c in short else 8):
                return True
            if 0 < gap <= 2 and (c not in short or self._opens_clause(c)):
                # "was numb yesterday but it's gone now": the pronoun points back.
                return True
        return False

    def _clause_ends_at(self, i: int) -> bool:
        """Whether token i starts a new clause (or the reply ends there)."""
        if i >= len(self.words):
            return True
        w = self.words[i]
        # Transcripts have no commas: "hoy ya no la herida se ve bien".
        return w in SENTENCE_END or w in CONTRAST or w in _CLAUSE_OPENERS

    def _opens_clause(self, cue: Match) -> bool:
        """Whether the cue is (nearly) its whole clause, as in "... pero hoy ya no"."""
        seg = self.segment[cue.start]
        before = [
            w
            for i, w in enumerate(self.words[: cue.start])
            if self.segment[i] == seg and w not in _LIGHT and w not in CONTRAST
        ]
        return len(before) <= 1

    def _hypothetical(self, span: Match) -> bool:
        if self.by_class.get("HAPPENED"):
            return False  # "what do I do if my leg goes numb? it happened this morning"
        sent = self.sentence[span.start]
        seg = self.segment[span.start]
        for c in self.cues("HYPO", span):
            if c.end <= span.start and self.segment[c.start] == seg:
                return True
        question = self.is_question(sent)
        if (
            question
            and any(
                q.start > span.start and self.sentence[q.start] == sent
                for q in self.by_class.get("QUESTION_LEAD", ())
            )
            and not any(
                q.start < span.start and self.sentence[q.start] == sent
                for q in self.by_class.get("QUESTION_LEAD", ())
            )
        ):
            # "can't feel the seat, is that normal?": a statement, then a question about it.
            question = False
        own_state = self.in_sentence("OWN_STATE_Q", sent)
        for c in self.cues("HYPO_IF", span):
            if c.end <= span.start and self.segment[c.start] == seg:
                tok = self.tokens[c.start]
                if self.text[tok.start : tok.end].lower() == "sí" or self._yes_si(c):
                    continue  # the accent (or an answer right after it) makes it "yes"
                if any(q.start <= c.start < q.end for q in own_state):
                    continue  # "is it bad if I can't feel ...": the writer's own state
                if question or self.in_sentence("ADVICE", sent):
                    return True
        # "is numbness normal after surgery?" asks about numbness in general.
        return question and not own_state and not self.in_sentence("FIRST_PERSON", sent)

    def _yes_si(self, cue: Match) -> bool:
        """A transcript's "si a veces ..." opens with "yes": "si" first, an answer word next."""
        if self.words[cue.start] != "si":
            return False
        before = [w for w in self.words[: cue.start] if w not in _LIGHT]
        if before:
            return False
        nxt = cue.end
        return nxt >= len(self.words) or any(
            c.start == nxt
            for cls in ("YES", "NEG_POST", "UNSURE_ANSWER")
            for c in self.by_class.get(cls, ())
        )

    def _other_person(self, span: Match) -> bool:
        if self.caregiver:
            return False
        seg = self.segment[span.start]
        # Spanish puts the subject after the verb: "se cayo mi esposo".
        if any(c.start == span.end for c in self.by_class.get("OTHER_PERSON", ())):
            return True
        for c in self.cues("OTHER_PERSON", span):
            if c.end <= span.start and self.segment[c.start] == seg:
                # "my wife noticed the incision is red" reports on the writer, but "my friend
                # said she was ..." still speaks of the friend.
                third = any(c.end <= t.start < span.start for t in self.by_class.get("THIRD", ()))
                reporting = not third and any(
                    c.end <= r.start < span.start for r in self.by_class.get("REPORTING", ())
                )
                self_ref = any(c.end <= r.start < span.end for r in self.by_class.get("SELF", ()))
                if not reporting and not self_ref:
                    return True
        return False

    def clearly_not_the_writer(self, span: Match) -> bool:
        """Whether the reply shows someone else has the symptom ("..., Im fine", "she was")."""
        seg = self.segment[span.start]
        others = self.by_class.get("OTHER_PERSON", ())
        if self.in_sentence("OTHER_PATIENT", self.sentence[span.start]):
            # "my brother had the same fusion and couldn't walk": compared, not the writer.
            return True
        if any(
            self.segment[t.start] == seg and t.start < span.start
            for t in self.by_class.get("THIRD", ())
        ):
            return True  # "my friend said she was ...": plainly someone else
        return any(
            self.segment[s.start] != seg and not any(o.start <= s.start < o.end for o in others)
            for s in self.by_class.get("SELF", ())
        )

    def _pre_existing(self, span: Match, codes: frozenset[str]) -> bool:
        sent = self.sentence[span.start]
        before = self.in_sentence("PRESURGERY", sent)
        chronic = self.in_sentence("CHRONIC", sent)
        if not before and not chronic:
            return False
        if codes == {"fall"}:
            return True  # a fall before the operation is over; it cannot have worsened
        # Worse now than before surgery is present (LABELING.md); look at the next sentence too.
        if any(self.sentence[w.start] in (sent, sent + 1) for w in self.by_class.get("WORSE", ())):
            return False
        if chronic:
            return True
        return bool(self.in_sentence("UNCHANGED", sent))
