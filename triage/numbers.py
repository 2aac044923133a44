"""Pain scores and temperatures in replies, in digits or words, English or Spanish."""

# Scores: "7-8", "8/10", "a nine", "ocho"; temperatures: "101.2", "38.9C", "fiebre de 102",
# "one oh one point five". Pain follows clinical-triage.md 4.2: ranges take the higher and an
# out-of-range score goes to a nurse. Celsius is told from Fahrenheit by its range.

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise
from typing import NamedTuple

from triage.normalize import Token

_UNITS = {
    "zero": 0, "oh": 0, "cero": 0, "one": 1, "uno": 1, "una": 1, "two": 2, "dos": 2,
    "three": 3, "tres": 3, "four": 4, "cuatro": 4, "five": 5, "cinco": 5, "six": 6,
    "seis": 6, "seven": 7, "siete": 7, "eight": 8, "ocho": 8, "nine": 9, "nueve": 9,
    "ten": 10, "diez": 10, "eleven": 11, "once": 11, "twelve": 12, "doce": 12,
    "thirteen": 13, "trece": 13, "fourteen": 14, "catorce": 14, "fifteen": 15, "quince": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "veinte": 20, "thirty": 30, "treinta": 30, "forty": 40, "cuarenta": 40, "fifty": 50,
    "ninety": 90, "noventa": 90, "eighty": 80, "ochenta": 80, "seventy": 70, "setenta": 70,
    "sixty": 60, "sesenta": 60, "cincuenta": 50,
}  # fmt: skip
_HUNDRED = frozenset({"hundred", "cien", "ciento"})
_POINT = frozenset({"point", "punto", "dot"})
_JOIN = frozenset({"and", "y"})
# "one" is a number only away from words that make it a pronoun ("the left one", "one leg").
_NOT_NUMBER_BEFORE = frozenset(
    {
        "the",
        "left",
        "right",
        "this",
        "that",
        "each",
        "every",
        "no",
        "any",
        "a",
        "which",
        "other",
        "la",
        "el",
        "ese",
        "esa",
    }
)
_NOT_NUMBER_AFTER = frozenset(
    {
        "leg",
        "side",
        "foot",
        "day",
        "time",
        "thing",
        "of",
        "more",
        "pierna",
        "lado",
        "pie",
        "dia",
        "vez",
        "arm",
        "hand",
        "week",
    }
)

_AFTER_NOT_PAIN = frozenset(
    {
        "day", "days", "week", "weeks", "hour", "hours", "hr", "hrs", "h", "min", "mins", "minute",
        "minutes", "pill", "pills", "tab", "tabs", "tablet", "tablets", "mg", "ml", "am", "pm",
        "oclock", "o'clock", "times", "x", "%", "percent", "dias", "dia", "semanas", "semana",
        "horas", "hora", "pastillas", "pastilla", "minutos", "veces", "years", "year", "yrs",
        "anos", "meses", "months", "month", "lbs", "pounds", "steps", "pasos", "miles", "mile",
        "blocks", "cuadras", "degrees", "grados", "f", "c", "°", "cups", "glasses", "bottles",
        "nights", "night", "noches", "noche", "mornings", "bpm", "being", "sets", "reps", "kg",
    }
)  # fmt: skip
_BEFORE_NOT_PAIN = frozenset(
    {
        "day", "dia", "pod", "at", "since", "for", "every", "took", "take", "taking", "x", "#",
        "number", "no", "room", "age", "las", "los", "around", "about-to", "after", "before",
        "until", "by", "bed", "pulse", "bp", "sats",
    }
)  # fmt: skip
_AGE_BEFORE = frozenset({"im", "aged", "turned", "turning", "turn"})
# "put it at 8", "it's at a 7": "at" names a score, not a time, after these.
_RATED_AT = frozenset({"it", "its", "is", "pain", "sitting", "sits", "stays", "steady", "holding"})
_PAIN_WORDS = frozenset(
    {
        "pain", "pains", "hurts", "hurt", "hurting", "ache", "aching", "sore", "dolor", "duele",
        "duelen", "level", "score", "rate", "rating", "painful",
    }
)  # fmt: skip
_TEMP_WORDS = frozenset(
    {
        "temp", "temperature", "temperatura", "fever", "fiebre", "calentura", "thermometer",
        "termometro", "degrees", "grados", "running", "febril",
    }
)  # fmt: skip
_TEMP_UNITS = frozenset(
    {"f", "c", "°", "degrees", "grados", "fahrenheit", "celsius", "centigrados"}
)
_OF_TEN = frozenset({"/", "of", "de", "out"})


class Number(NamedTuple):
    """A number found in tokens start..end-1."""

    value: float
    start: int
    end: int
    decimal: bool


class Reading(NamedTuple):
    """A pain score or temperature with the token span that states it."""

    value: float
    start: int
    end: int
    flag: bool  # pain: out of range (send to a nurse); temperature: given in Celsius


def find_numbers(tokens: list[Token]) -> list[Number]:
    """Digit and word numbers, in order."""
    words = [t.word for t in tokens]
    out: list[Number] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w[0].isdigit():
            if i + 2 < n and words[i + 1] in _POINT and words[i + 2].isdigit() and w.isdigit():
                # "38 point 6": a transcript that kept the digits but spelled the point.
                out.append(Number(float(f"{w}.{words[i + 2]}"), i, i + 3, True))
                i += 3
                continue
            half = _half(words, i + 1) if w.isdigit() else None
            if half is not None:
                out.append(Number(float(w) + 0.5, i, half, True))
                i = half
                continue
            out.extend(_digits(w, i))
            i += 1
            continue
        if w in _UNITS or w in _HUNDRED or (w == "a" and i + 1 < n and words[i + 1] in _HUNDRED):
            if w == "one" and not _one_is_number(words, i):
                i += 1
                continue
            if w in ("oh", "una", "uno", "once") and not _spoken_digit_context(words, i):
                i += 1
                continue
            value, j, decimal = _spoken(words, i)
            if j > i:
                out.append(Number(value, i, j, decimal))
                i = j
                continue
        i += 1
    return out


def _digits(w: str, i: int) -> list[Number]:
    if "," in w:
        whole, frac = w.split(",")
        if 35 <= int(whole) <= 43 or 95 <= int(whole) <= 110:
            return [Number(float(f"{whole}.{frac}"), i, i + 1, True)]
        return [Number(float(max(int(whole), int(frac))), i, i + 1, False)]
    return [Number(float(w), i, i + 1, "." in w)]


def _one_is_number(words: list[str], i: int) -> bool:
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return before not in _NOT_NUMBER_BEFORE and after not in _NOT_NUMBER_AFTER


def _spoken_digit_context(words: list[str], i: int) -> bool:
    # "oh" and Spanish "una"/"once" are numbers only inside a spoken number.
    before = words[i - 1] if i > 0 else ""
    return before in _UNITS or before in _HUNDRED or before in _POINT


def _spoken(words: list[str], i: int) -> tuple[float, int, bool]:
    """Read "a hundred and one point five", "one oh one", "treinta y ocho punto cinco"."""
    n = len(words)
    j = i
    digits: list[int] = []
    current = 0
    last_digit = False
    while j < n:
        w = words[j]
        if w == "a" and j + 1 < n and words[j + 1] in _HUNDRED:
            j += 1
            continue
        if w in _HUNDRED:
            current = (current or 1) * 100
            last_digit = False
        elif w in _UNITS:
            value = _UNITS[w]
            digits.append(value)
            if last_digit and value < 10 and current < 100:
                current = current * 10 + value  # "one oh one": digits one by one
            elif (current >= 20 and current % 10 == 0 and current % 100 != 0 and value < 10) or (
                current >= 100 and current % 100 == 0
            ):
                current += value
            elif current == 0:
                current = value
            else:
                break
            last_digit = value < 10
        elif w in _JOIN and j + 1 < n and words[j + 1] in _UNITS and current >= 20:
            j += 1
            continue
        else:
            break
        j += 1
    if j == i:
        return 0.0, i, False
    total = current
    decimal = False
    if j + 1 < n and words[j] in _POINT and words[j + 1] in _UNITS and _UNITS[words[j + 1]] < 10:
        frac: list[str] = []
        k = j + 1
        while k < n and words[k] in _UNITS and _UNITS[words[k]] < 10:
            frac.append(str(_UNITS[words[k]]))
            k += 1
        return float(f"{total}.{''.join(frac)}"), k, True
    half = _half(words, j)
    if half is not None:
        return total + 0.5, half, True
    return float(total), j, decimal


def _half(words: list[str], j: int) -> int | None:
    """The end of "y medio" / "and a half" at token j ("treinta y ocho y medio" is 38.5)."""
    rest = words[j : j + 3]
    if rest[:2] in (["y", "medio"], ["and", "half"]):
        return j + 2
    if rest == ["and", "a", "half"]:
        return j + 3
    return None


def pain_score(tokens: list[Token], numbers: list[Number], question: str) -> Reading | None:
    """The highest pain score stated, or None."""
    readings = pain_readings(tokens, numbers, question)
    return max(readings, key=lambda r: r.value) if readings else None


def pain_readings(tokens: list[Token], numbers: list[Number], question: str) -> list[Reading]:
    """Every pain score stated, in order ("was a 3, now a 7" gives two)."""
    if not numbers:
        return []
    words = [t.word for t in tokens]
    n = len(words)
    found: list[Reading] = []
    scale: set[int] = set()
    content = [w for w in words if w not in (".", "!", ",", "?", "-")]
    for k, num in enumerate(numbers):
        if num.decimal or num.value < 0:
            continue
        after = words[num.end] if num.end < n else ""
        before = words[num.start - 1] if num.start > 0 else ""
        before2 = words[num.start - 2] if num.start > 1 else ""
        rated = before == "at" and before2 in _RATED_AT
        if after in _AFTER_NOT_PAIN or (before in _BEFORE_NOT_PAIN and not rated):
            continue
        if before == "of" and before2 in _AFTER_NOT_PAIN:
            continue  # "3 sets of 12": a count of something, not a score
        if before in _AGE_BEFORE and num.value > 10:
            continue  # "I'm 88 on Friday": an age; "im 8" stays a score
        if after == "de" and num.end + 1 < n and words[num.end + 1] == "la":
            continue  # "ocho de la noche": a time of day
        if before == "/" or (before in ("of", "de") and num.value == 10):
            continue  # the "10" of "8/10"
        end = num.end
        value = num.value
        strong = False
        if after in _OF_TEN:
            rest = words[num.end : num.end + 3]
            if "10" in rest or "ten" in rest or "diez" in rest:
                strong = True
                end = num.end + rest.index(next(w for w in rest if w in ("10", "ten", "diez"))) + 1
        if after in ("-", "to", "a") and k + 1 < len(numbers):
            nxt = numbers[k + 1]
            if num.value in (0, 1) and nxt.value == 10 and nxt.start == num.end + 1:
                scale.add(k + 1)
                continue  # "0-10", "1 to 10": the scale the question gave, not a score
        if k in scale:
            continue
        if after in ("-", "to", "or", "a", "o") and k + 1 < len(numbers):
            nxt = numbers[k + 1]
            if nxt.start == num.end + 1 and nxt.value <= 10 and value <= 10:
                value = max(value, nxt.value)
                end = nxt.end
        if after == "+":
            end = num.end + 1
        # "a 7", "like a 7", "como un ocho": the way people say a score out loud.
        idiom = before in ("a", "an", "un") and value <= 10
        context = strong or idiom or question == "pain" or _near_pain(words, num.start, end)
        alone = len(content) <= 3 and question == "general" and value <= 10
        if not context and not alone:
            continue
        if value > 100:
            continue
        flag = value > 10 or (alone and not strong)
        found.append(Reading(min(value, 10.0), num.start, end, flag))
    return found


_PAST_BEFORE = frozenset(
    {"was", "were", "been", "used", "estaba", "era", "fue", "tenia", "had", "ayer", "anoche",
     "before", "antes",
     "vivia", "andaba", "said", "dije"}
)  # fmt: skip
_PAST_AFTER = frozenset(
    {
        "yesterday", "ago", "before", "earlier", "ayer", "anoche", "antes", "pasada", "pasado",
        "last",
    }
)  # fmt: skip


_PRESENT = frozenset(
    {"today", "now", "rn", "tonight", "currently", "hoy", "ahora", "ahorita", "actualmente"}
)


def is_past(tokens: list[Token], reading: Reading) -> bool:
    """A score the reply places in the past ("was 8 last week", "ayer era un 9")."""
    before = tokens[max(0, reading.start - 3) : reading.start]
    if any(t.word in _PRESENT for t in before) and not any(t.word in _PAST_BEFORE for t in before):
        return False  # "hoy un 3, ayer estaba en 8": the past marker after it is the next score's
    after: list[Token] = []
    for t in tokens[reading.end : reading.end + 3]:
        if t.word in _PRESENT:
            break  # "9 today, yesterday 4": "yesterday" is the next score's
        after.append(t)
    return any(t.word in _PAST_BEFORE for t in before) or any(t.word in _PAST_AFTER for t in after)


def is_present(tokens: list[Token], reading: Reading) -> bool:
    """A score the reply places now ("today 4", "now a 3", "4 this morning" is not)."""
    around = [
        *tokens[max(0, reading.start - 3) : reading.start],
        *tokens[reading.end : reading.end + 2],
    ]
    return any(t.word in _PRESENT for t in around)


def _near_pain(words: list[str], start: int, end: int) -> bool:
    lo = max(0, start - 5)
    return any(w in _PAIN_WORDS for w in words[lo:start]) or any(
        w in _PAIN_WORDS for w in words[end : end + 2]
    )


def temperature(tokens: list[Token], numbers: list[Number], question: str) -> Reading | None:
    """The highest temperature stated (value in its own scale, flag True for Celsius)."""
    if not numbers:
        return None
    words = [t.word for t in tokens]
    n = len(words)
    best: Reading | None = None
    best_f = 0.0
    for num in numbers:
        v = num.value
        after = words[num.end] if num.end < n else ""
        if after in ("%", "percent", "mg", "ml", "lbs", "pounds"):
            continue
        unit = after in _TEMP_UNITS
        end = num.end + 1 if unit else num.end
        if end < n and words[end - 1] == "°" and end < n and words[end] in ("f", "c"):
            end += 1
        lo = max(0, num.start - 5)
        context = unit or any(
            w in _TEMP_WORDS for w in (*words[lo : num.start], *words[end : end + 2])
        )
        if 95 <= v <= 110:
            celsius = after == "c" or (end > num.end and words[end - 1] == "c")
            if celsius:
                continue
            if not (num.decimal or context or question == "wound_fever"):
                continue
            as_f = v
            reading = Reading(v, num.start, end, False)
        elif 35 <= v <= 43:
            if not (context or (num.decimal and question in ("wound_fever", "general"))):
                continue
            as_f = v * 9 / 5 + 32
            reading = Reading(v, num.start, end, True)
        else:
            continue
        if best is None or as_f > best_f:
            best, best_f = reading, as_f
    return best


_SINCE_DAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tues",
     "tue", "wed", "thurs", "thu", "fri", "sat", "sun", "last", "el", "lunes", "martes",
     "miercoles", "jueves", "viernes", "sabado", "domingo"}
)  # fmt: skip


def day_count(tokens: list[Token], numbers: list[Number], near: int) -> int | None:
    """A number of days stated in the same sentence as token `near` ("4 days", "tres dias")."""
    n = len(tokens)
    # Numbers are in order: only those starting within 11 tokens of `near` can count.
    i = bisect_left(numbers, near - 11, key=lambda num: num.start)
    while i < len(numbers) and numbers[i].start <= near + 11:
        num = numbers[i]
        if num.end < n and tokens[num.end].word in ("day", "days", "dia", "dias"):
            return int(num.value)
        i += 1
    window = [t.word for t in tokens[max(0, near - 6) : near + 8]]
    # "since friday, today is tues": a span that began on a named day is several days.
    if any(w in ("since", "desde") and nxt in _SINCE_DAYS for w, nxt in pairwise(window)):
        return None
    # "no BM today": one day is not yet constipation.
    if any(w in ("today", "hoy") for w in window):
        return 1
    return None
