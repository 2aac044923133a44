"""Decide whether a symptom mention is present now, for the patient (ConText for text messages)."""

# Scopes end at clause boundaries (clinical-triage.md 4.2): punctuation, "but"/"pero" and the other
# TERMINATOR cues, a new "my ..." clause after a bare "no", and at another symptom unless a list
# joins them ("no fever, chills or redness"). Cues inside the symptom phrase itself ("can't pee",
# "no siento las piernas") never negate it. Doubt keeps the symptom and asks for review.

from __future__ import annotations

from bisect import bisect_left, bisect_right
from enum import Enum

from triage.matcher import Match
from triage.normalize import SENTENCE_END, Token

CONTRAST = frozenset(
    {"but", "pero", "though", "tho", "although", "aunque", "however", "sino", "except"}
)
# Words that end a clause or a sentence: the rest leave both numbers as they are.
_BREAKS = CONTRAST | SENTENCE_END
_BARE_NO = frozenset({"no", "nope", "nah", "none", "not"})
_FILLERS = frozenset({"um", "uh", "erm", "er", "oh", "ah", "hmm", "este", "eh"})
_LIGHT = frozenset(
    {"?", ":", "-", "=", ",", "is", "are", "its", "was", "any", "um", "uh", ".", "!"}
)
_MAX_NEG_REACH = 7
# Cue classes without which a status check has nothing to look at, so it stops at once.
_RESOLUTIONS = frozenset({"RESOLVED_PRE", "RESOLVED_POST", "RESOLVED_END"})
_ASKING = frozenset({"HYPO", "HYPO_IF", "QUESTION_LEAD"})
_OTHERS = frozenset({"NOT_PATIENT", "OTHER_PATIENT", "OTHER_PERSON"})
_SITES = frozenset({"LIMB", "SADDLE", "BILATERAL", "ONE_SIDE", "TRUNK", "WOUND_SITE", "CALF"})
_CLAUSE_OPENERS = frozenset(
    {",", "-", "and", "y", "la", "el", "los", "las", "mi", "mis", "the", "my", "i", "im",
     "now", "ahora", "todo", "everything", "its", "it", "but", "pero", "so", "just"}
)  # fmt: skip
# Words that may stand between a subject and what it did: "the cat just fell", "he has".
_HELPING = frozenset(
    {"is", "was", "has", "had", "just", "keeps", "kept", "got", "also", "he", "she", "it", "se",
     "le", "ya", "esta", "tiene"}
)  # fmt: skip
# Findings that are events: feeling fine afterwards does not undo them.
_EVENTS = frozenset({"fall"})
_INABILITY = frozenset(
    {
        "cant",
        "dont",
        "no",
        "not",
        "never",
        "havent",
        "didnt",
        "wont",
        "doesnt",
        "isnt",
        "cannot",
        "arent",
        "aint",
        "werent",
        "wasnt",
    }
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
        words: list[str],
        matches: list[Match],
        by_class: dict[str, list[Match]],
        mentions: list[tuple[Match, frozenset[str]]],
        caregiver: bool = False,
    ) -> None:
        """words: the tokens' words; by_class: the matches grouped by class; matches and
        mentions in reply order (by start)."""
        self.text = text
        self.tokens = tokens
        self.words = words
        self.by_class = by_class
        # Each mention with the codes it can name; used to join lists and to end scopes.
        self.mentions = mentions
        self._mention_starts = [m.start for m, _ in self.mentions]
        self._mention_ends = {m.end for m, _ in self.mentions}
        # Sentence numbers only grow, so each sentence is one run of tokens from its first.
        self._sentence_first = [0]
        if _BREAKS.isdisjoint(words):
            # Most replies are one clause: every token in sentence 0 and clause 0.
            self.sentence = [0] * len(words)
            self.segment = [0] * len(words)
        else:
            self.sentence = []
            self.segment = []
            sent = seg = 0
            for i, w in enumerate(words):
                self.sentence.append(sent)
                if w in CONTRAST:
                    seg += 1
                self.segment.append(seg)
                if w in SENTENCE_END:
                    sent += 1
                    seg += 1
                    self._sentence_first.append(i + 1)
        self.terminators = {m.start for m in self.by_class.get("TERMINATOR", ())}
        # The registered caregiver wrote, or the reply says a caregiver is writing.
        self.caregiver = caregiver or bool(self.by_class.get("CAREGIVER"))
        self.site_tokens = {
            i
            for cls in _SITES.intersection(by_class)
            for m in by_class[cls]
            for i in range(m.start, m.end)
        }
        self.fillers = {i for m in self.by_class.get("FILLER", ()) for i in range(m.start, m.end)}
        self._question: dict[int, bool] = {}
        self._by_sentence: dict[str, dict[int, list[Match]]] = {}
        self._starts: dict[str, set[int]] = {}
        self._start_list: dict[str, list[int]] = {}
        self.longest = max([m.end - m.start for m in matches], default=1)

    # --- helpers ---------------------------------------------------------------------------
    def cues(self, cls: str, span: Match, lo: int = 0, hi: int | None = None) -> list[Match]:
        """Cues of a class starting at tokens lo..hi-1 that do not overlap the mention itself.

        Callers look only near the mention: the window keeps each look from scanning the whole
        reply, so triage time grows with the reply's length, not its square.
        """
        near = self.by_class.get(cls)
        if not near:
            return []
        if len(near) > 8:
            near = self.starting(cls, lo, hi)
            return [c for c in near if c.end <= span.start or c.start >= span.end]
        end = len(self.words) if hi is None else hi
        return [
            c for c in near if lo <= c.start < end and (c.end <= span.start or c.start >= span.end)
        ]

    def sentence_tokens(self, sent: int) -> range:
        """The tokens of sentence number `sent`."""
        first = self._sentence_first
        return range(first[sent], first[sent + 1] if sent + 1 < len(first) else len(self.words))

    def start_list(self, cls: str) -> list[int]:
        """Where the phrases of a class start, in order."""
        if cls not in self._start_list:
            self._start_list[cls] = [m.start for m in self.by_class.get(cls, ())]
        return self._start_list[cls]

    def has(self, cls: str, lo: int, hi: int) -> bool:
        """Whether a phrase of a class starts at one of tokens lo..hi-1."""
        starts = self.start_list(cls)
        i = bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi

    def starting(self, cls: str, lo: int, hi: int | None = None) -> list[Match]:
        """Phrases of a class that start at tokens lo..hi-1, in order."""
        starts = self.start_list(cls)
        first = bisect_left(starts, lo)
        last = len(starts) if hi is None else bisect_left(starts, hi, lo=first)
        return self.by_class.get(cls, [])[first:last]

    def segment_bounds(self, seg: int, through: int = 0) -> tuple[int, int]:
        """The tokens of clause `seg` (and the `through` clauses after it): first, end."""
        return bisect_left(self.segment, seg), bisect_right(self.segment, seg + through)

    def same_sentence(self, a: int, b: int) -> bool:
        """Whether tokens a and b are in one sentence."""
        return self.sentence[a] == self.sentence[b]

    def starts(self, cls: str) -> set[int]:
        """Where phrases of a class start."""
        if cls not in self._starts:
            self._starts[cls] = {m.start for m in self.by_class.get(cls, ())}
        return self._starts[cls]

    def is_question(self, sent: int) -> bool:
        """A sentence ending in "?" or opening with a question word."""
        if sent in self._question:
            return self._question[sent]
        idx = self.sentence_tokens(sent)
        content = [i for i in idx if i not in self.fillers and self.words[i] not in _LIGHT]
        first = content[0] if content else None
        led = first is not None and first in self.starts("QUESTION_LEAD")
        # "weakness? a little": a checklist echo of the question, not a question.
        result = led or (any(self.words[i] == "?" for i in idx) and len(content) > 3)
        self._question[sent] = result
        return result

    def in_sentence(self, cls: str, sent: int) -> list[Match]:
        """Phrases of a class in sentence number `sent`."""
        if cls not in self.by_class:
            return []
        if cls not in self._by_sentence:
            grouped: dict[int, list[Match]] = {}
            for m in self.by_class.get(cls, ()):
                grouped.setdefault(self.sentence[m.start], []).append(m)
            self._by_sentence[cls] = grouped
        return self._by_sentence[cls].get(sent, [])

    def _mentions_between(self, a: int, b: int) -> list[tuple[Match, frozenset[str]]]:
        out = []
        i = bisect_left(self._mention_starts, a)
        while i < len(self.mentions) and self.mentions[i][0].start < b:
            if self.mentions[i][0].end <= b:
                out.append(self.mentions[i])
            i += 1
        return out

    # --- status ---------------------------------------------------------------------------
    def status(self, span: Match, codes: frozenset[str]) -> Status:
        """Whether the mention counts; the first matching reason wins."""
        if self._negated_before(span, codes) or self._negated_after(span):
            return Status.NEGATED
        if self._resolved(span, codes) or (
            "RETRACTION" in self.by_class and self._retracted(span, codes)
        ):
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
        return "HEDGE" in self.by_class and bool(
            self.cues("HEDGE", span, *self.segment_bounds(seg))
        )

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
        if "NEG_PRE" not in self.by_class:
            return False
        # The cue in the sentence ending last before the mention (the first such, on a tie):
        # walked back from the mention, stopping where no earlier cue can end that late.
        best: Match | None = None
        cues = self.by_class["NEG_PRE"]
        starts = self.start_list("NEG_PRE")
        first = self.sentence_tokens(self.sentence[span.start]).start
        i = bisect_left(starts, span.start) - 1
        while i >= 0 and starts[i] >= first:
            c = cues[i]
            if best is not None and c.start + self.longest < best.end:
                break
            if c.end <= span.start and (best is None or c.end >= best.end):
                best = c
            i -= 1
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
        if "NEG_POST" not in self.by_class:
            return False
        words = self.words
        for c in self.cues("NEG_POST", span, span.end, span.end + 6):
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
            while nxt < len(words) and words[nxt] in _FILLERS:
                nxt += 1  # "fever no um oh but": a caller's fillers after the answer
            if nxt >= len(words) or words[nxt] in SENTENCE_END or words[nxt] in (",", "-"):
                return True
            if words[nxt] in CONTRAST or nxt in self.terminators or words[nxt] in ("and", "y"):
                return True
            again = nxt in self.starts("NEG_POST") or nxt in self.starts("NEG_PRE")
            if again and words[nxt] != words[c.start]:
                # "numb no i dont think so", "numb no nothing like that": said again in other
                # words ("no la puedo levantar nada nada" only stresses the inability)
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
        return j + 1 in self._mention_ends

    def _answered_next(self, i: int, answer: str) -> bool:
        """Whether a symptom starts at token i and is itself answered ("... fever no")."""
        words = self.words
        k = bisect_left(self._mention_starts, i)
        if k == len(self.mentions) or self._mention_starts[k] != i:
            return False
        m = self.mentions[k][0]
        j = m.end
        while j < len(words) and j - m.end < 4 and (j in self.site_tokens or words[j] in _LIGHT):
            j += 1
        return j in self.starts(answer)

    def _resolved(self, span: Match, codes: frozenset[str]) -> bool:
        if codes and codes <= _EVENTS:
            return False  # "fell last night, seems ok now": the fall still happened
        if _RESOLUTIONS.isdisjoint(self.by_class):
            return False
        for c in self.cues("RESOLVED_PRE", span, span.start - 4 - self.longest, span.start):
            if (
                c.end <= span.start
                and span.start - c.end <= 4
                and self._joined(c.end, span.start, None, codes)
            ):
                return True
        if "RESOLVED_END" not in self.by_class and "RESOLVED_POST" not in self.by_class:
            return False
        seg = self.segment[span.start]
        words = self.words
        # "can't hold my pee anymore": after an inability, "anymore" says it is still so.
        inability = any(w in _INABILITY for w in words[span.start : span.end])
        # In the clause or the next two.
        after = (span.end, self.segment_bounds(seg, through=2)[1])
        ends = [
            c
            for c in self.cues("RESOLVED_END", span, *after)
            if not inability and self._clause_ends_at(c.end)
        ]
        short = set(ends)
        for c in [*self.cues("RESOLVED_POST", span, *after), *ends]:
            gap = self.segment[c.start] - seg
            # In the clause, or a clause or two on: "was numb yesterday but it's gone now" (the
            # pronoun points back).
            # A resolution that closes the sentence reaches back across it: "had pins and
            # needles in my foot for a day after sitting crosslegged, gone now".
            reach = 6 if c in short else 8
            if self._clause_ends_at(c.end) and self.same_sentence(span.start, c.start):
                reach = 24
            near = gap == 0 and c.start - span.end <= reach
            if not near and not (0 < gap <= 2 and (c not in short or self._opens_clause(c))):
                continue
            if all(mc[1] & codes for mc in self._mentions_between(span.end, c.start)):
                return True
        return False

    def _retracted(self, span: Match, codes: frozenset[str]) -> bool:
        """Taken back later in the reply: "MY LEGS ARE NUMB!!! jk". Talk of dying is never
        taken back by a joke: a nurse reads it (clinical-triage.md 1.1)."""
        if "self_harm" in codes:
            return False
        return any(c.start >= span.end for c in self.by_class.get("RETRACTION", ()))

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
        before = 0
        i = cue.start - 1
        # Segment numbers only grow: walk back through this one, stopping at a second word.
        while i >= 0 and self.segment[i] == seg and before <= 1:
            w = self.words[i]
            before += w not in _LIGHT and w not in CONTRAST
            i -= 1
        return before <= 1

    def _hypothetical(self, span: Match) -> bool:
        if self.by_class.get("HAPPENED"):
            return False  # "what do I do if my leg goes numb? it happened this morning"
        if _ASKING.isdisjoint(self.by_class):
            return False  # no "if", no "what if", no question word: a plain statement
        sent = self.sentence[span.start]
        seg = self.segment[span.start]
        clause_start = bisect_left(self.segment, seg)
        for c in self.cues("HYPO", span, clause_start, span.start):
            if c.end <= span.start:
                return True
        question = self.is_question(sent)
        leads = self.in_sentence("QUESTION_LEAD", sent)
        if (
            question
            and any(q.start > span.start for q in leads)
            and not any(q.start < span.start for q in leads)
        ):
            # "can't feel the seat, is that normal?": a statement, then a question about it.
            question = False
        own_state = self.in_sentence("OWN_STATE_Q", sent)
        for c in self.cues("HYPO_IF", span, clause_start, span.start):
            if c.end <= span.start:
                tok = self.tokens[c.start]
                if self.text[tok.start : tok.end].lower() == "sí" or self._yes_si(c):
                    continue  # the accent (or an answer right after it) makes it "yes"
                if any(q.start <= c.start < q.end for q in own_state):
                    continue  # "is it bad if I can't feel ...": the writer's own state
                if question or self.in_sentence("ADVICE", sent):
                    return True
        # "is numbness normal after surgery?" asks about numbness in general; a statement that
        # ends in "??" ("went from a 3 to a 9 overnight??") is worry, not a question.
        # "es normal sentir hormigueo en los pies?": Spanish names the writer's own feet with
        # "los"; a body part in the question makes it about the writer.
        if not question or own_state or not (leads or self.in_sentence("HYPO", sent)):
            return False
        return not self.in_sentence("FIRST_PERSON", sent) and not any(
            self.sentence[i] == sent for i in self.site_tokens
        )

    def _yes_si(self, cue: Match) -> bool:
        """A transcript's "si a veces ..." opens with "yes": "si" first, an answer word next."""
        if self.words[cue.start] != "si" or any(w not in _LIGHT for w in self.words[: cue.start]):
            return False
        nxt = cue.end
        return nxt >= len(self.words) or any(
            nxt in self.starts(cls) for cls in ("YES", "NEG_POST", "UNSURE_ANSWER")
        )

    def _other_person(self, span: Match) -> bool:
        if _OTHERS.isdisjoint(self.by_class):
            return False  # nobody else is named
        seg = self.segment[span.start]
        if self.caregiver:
            # A caregiver's "she" and "my mom" are the patient; a pet or another patient is not.
            lo = bisect_left(self.segment, seg)
            return (
                span.end in self.starts("NOT_PATIENT")
                or self.has("NOT_PATIENT", lo, span.start)
                or bool(self.in_sentence("OTHER_PATIENT", self.sentence[span.start]))
            )
        # Spanish puts the subject after the verb: "se cayo mi esposo".
        if "NOT_PATIENT" in self.by_class and self._pet_subject(span):
            return True  # "the cat fell off the couch", "mi perro cojea"
        if span.end in self.starts("OTHER_PERSON") or span.end in self.starts("NOT_PATIENT"):
            return True
        # A person named before the mention in its clause has it, unless the writer speaks of
        # themself after the name ("my wife says I ..."), or a reporting verb follows the name
        # ("my wife noticed the incision is red") with no "she" after it ("my friend said she
        # was ..."). Each test turns on where the name ends, so the latest ends decide for every
        # name in the clause at once.
        if "OTHER_PERSON" not in self.by_class:
            return False
        clause_start = bisect_left(self.segment, seg)
        writer = self._last_start("SELF", span.end)
        she = self._last_start("THIRD", span.start)
        reporting = self._last_start("REPORTING", span.start)
        with_she = self._last_end("OTHER_PERSON", clause_start, min(span.start, she))
        unreported = self._last_end("OTHER_PERSON", clause_start, span.start)
        return with_she > writer or unreported > max(writer, reporting)

    def _pet_subject(self, span: Match) -> bool:
        """A pet named right before the mention, with at most a helping verb between; "the dog
        knocked me over" names the writer in the mention itself."""
        pets = self.by_class.get("NOT_PATIENT", ())
        if not pets or any(w in ("me", "i", "my", "mi") for w in self.words[span.start : span.end]):
            return False
        for pet in pets:
            if pet.end <= span.start and all(
                w in _HELPING for w in self.words[pet.end : span.start]
            ):
                return True
        return False

    def _last_start(self, cls: str, before: int) -> int:
        """The last token before `before` where a phrase of a class starts, else -1."""
        starts = self.start_list(cls)
        i = bisect_left(starts, before)
        return starts[i - 1] if i else -1

    def _last_end(self, cls: str, lo: int, limit: int) -> int:
        """The latest end, at most `limit`, of a phrase of a class starting from token lo on."""
        matches = self.by_class.get(cls, [])
        starts = self.start_list(cls)
        best = -1
        i = bisect_left(starts, limit) - 1
        # A phrase ends at most `longest` tokens after it starts: earlier ones cannot do better.
        while i >= 0 and starts[i] >= lo and starts[i] + self.longest > best:
            if best < matches[i].end <= limit:
                best = matches[i].end
            i -= 1
        return best

    def denied_at_hand(self, span: Match) -> bool:
        """A denial right before the mention or right after it: "not suicidal", "no thoughts of
        ending my life", "wanting to die? no"."""
        before = self.by_class.get("NEG_PRE", ())
        if any(span.start - 3 <= c.end <= span.start for c in before):
            return True
        return bool(self._negated_after(span))

    def clearly_not_the_writer(self, span: Match) -> bool:
        """Whether the reply shows someone else has the symptom ("..., Im fine", "she was")."""
        seg = self.segment[span.start]
        if self.in_sentence("OTHER_PATIENT", self.sentence[span.start]):
            # "my brother had the same fusion and couldn't walk": compared, not the writer.
            return True
        lo = self.segment_bounds(seg)[0]
        if self.has("THIRD", lo, span.start) and not self.has("FAMILY", 0, span.start):
            # "my friend said she was ...": plainly someone else. "My mother ... she cannot
            # breathe" may be a caregiver writing for the patient: a nurse reads it.
            return True
        others = {i for m in self.by_class.get("OTHER_PERSON", ()) for i in range(m.start, m.end)}
        return any(
            self.segment[s.start] != seg and s.start not in others
            for s in self.by_class.get("SELF", ())
        )

    def _pre_existing(self, span: Match, codes: frozenset[str]) -> bool:
        if "PRESURGERY" not in self.by_class and "CHRONIC" not in self.by_class:
            return False
        sent = self.sentence[span.start]
        before = self.in_sentence("PRESURGERY", sent)
        chronic = self.in_sentence("CHRONIC", sent)
        if not before and not chronic:
            return False
        if codes == {"fall"}:
            return True  # a fall before the operation is over; it cannot have worsened
        # Worse now than before surgery is present (LABELING.md); look at the next sentence too.
        if self._here_or_next(sent, ("WORSE",)):
            return False
        if chronic:
            return True
        # Unchanged, stronger or gone since: "numbness from before the operation. Now the same."
        return self._here_or_next(sent, ("UNCHANGED", "STRONGER", "RESOLVED_POST"))

    def _here_or_next(self, sent: int, classes: tuple[str, ...]) -> bool:
        """Whether a phrase of one of the classes is in sentence `sent` or the one after it."""
        return any(
            self.sentence[m.start] in (sent, sent + 1)
            for cls in classes
            for m in self.by_class.get(cls, ())
        )
