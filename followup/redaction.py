"""Masking patient data in text bound for logs and error reports: phone numbers and quoted words.

Plain functions, no Django: the logging filters and the Sentry scrubber both use them.
"""

import re
import traceback
from collections.abc import Iterator

# Nine to fifteen digits, alone or with a leading +, spaces, dashes or brackets between them
# (+15551234567, 555-123-4567, (555) 123 4567). Digits inside a longer word (a Twilio sid, a
# hash) are left alone, and so are ISO dates and network addresses.
PHONE = re.compile(r"(?<![\w+])(?!\d{4}-\d\d-\d\d)\+?\(?\d(?:[\s()-]{0,2}\d){8,14}(?![\w])")
# A quoted value in an error message ('...' or "..."), as Python's reprs and psycopg's details
# print the data they failed on: a patient's words may be inside.
QUOTED = re.compile(r"""'[^'\n]{3,}'|"[^"\n]{3,}\"""")
# A quoted value this short, without a space, is a code or a status, not somebody's words.
SHORT_CODE = re.compile(r"""^['"][\w.:/-]{1,24}['"]$""")


def mask_number(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"***{digits[-2:]}"


def mask_phones(text: str) -> str:
    """Every phone-number-like run of digits, down to its last two digits."""
    return PHONE.sub(mask_number, text)


def _quoted(match: re.Match[str]) -> str:
    value = match.group(0)
    if SHORT_CODE.match(value):
        return value
    return f"{value[0]}<{len(value) - 2} characters>{value[0]}"


def redact_error(text: str) -> str:
    """An error message or traceback: phone numbers masked and quoted values replaced."""
    return QUOTED.sub(_quoted, mask_phones(text))


def format_exception(exc: BaseException) -> str:
    """A traceback whose frames are kept and whose exception messages are redacted."""
    return "".join(_traceback_lines(traceback.TracebackException.from_exception(exc)))


def _traceback_lines(te: traceback.TracebackException) -> Iterator[str]:
    if te.__cause__ is not None:
        yield from _traceback_lines(te.__cause__)
        yield "\nThe above exception was the direct cause of the following exception:\n\n"
    elif te.__context__ is not None and not te.__suppress_context__:
        yield from _traceback_lines(te.__context__)
        yield "\nDuring handling of the above exception, another exception occurred:\n\n"
    if te.stack:
        yield "Traceback (most recent call last):\n"
        # Source lines are code, but a test or a fixture may hold a number.
        yield from (mask_phones(line) for line in te.stack.format())
    yield from (redact_error(line) for line in te.format_exception_only())
