"""What Twilio posts to a webhook, made safe to store: SIDs checked, media capped, NUL escaped.

A signed request comes from Twilio, so nothing in it is refused but an identifier that is not in
Twilio's format (the row could not be keyed on it). Every other value is stored as far as the
database can hold it; the original stays recoverable.
"""

import json
import re
from dataclasses import dataclass, field

from django.http import QueryDict

# Twilio's formats, from its OpenAPI spec (api_v2010: sid patterns).
SID_FORMATS = {
    "AccountSid": re.compile(r"AC[0-9a-fA-F]{32}"),
    "MessageSid": re.compile(r"(SM|MM)[0-9a-fA-F]{32}"),
    "CallSid": re.compile(r"CA[0-9a-fA-F]{32}"),
}
# Twilio delivers at most 10 media items with one message.
MAX_MEDIA = 10
# PostgreSQL's text and jsonb types cannot hold NUL; it is stored as U+FFFD instead.
NUL, REPLACEMENT = "\x00", "\ufffd"
# Twilio's error codes are five digits; anything not a small ASCII number is not a code.
ERROR_CODE = re.compile(r"[0-9]{1,9}")


class BadRequest(ValueError):
    """A webhook request that cannot be stored; the message says what is wrong."""


@dataclass(frozen=True)
class Params:
    """One webhook's parameters as they can be stored, with the originals of any escaped."""

    values: dict[str, str]
    originals: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def originals_json(self) -> str:
        """The escaped fields as Twilio sent them; ASCII JSON, which PostgreSQL can hold."""
        return json.dumps(self.originals, ensure_ascii=True) if self.originals else ""


def storable(value: str) -> str:
    return value.replace(NUL, REPLACEMENT)


def check_sids(post: QueryDict) -> None:
    """Refuse any SID given that is not in Twilio's format, with the reason."""
    for name, pattern in SID_FORMATS.items():
        value = post.get(name)
        if value is not None and not pattern.fullmatch(value):
            shown = storable(value[:40]) + ("…" if len(value) > 40 else "")
            raise BadRequest(f"{name} {shown!r} is not in Twilio's format")


def require(post: QueryDict, name: str) -> None:
    """Refuse a request without the SID its row is keyed on (its format is checked already)."""
    if not post.get(name):
        raise BadRequest(f"{name} is required")


def parse(post: QueryDict) -> Params:
    """Each parameter's last value, NUL escaped; the escaped ones also kept as sent."""
    values, originals = {}, {}
    for name in post:
        value = post.get(name, "")
        values[name] = storable(value)
        if values[name] != value:
            originals[name] = value
    return Params(values, originals)


def media_urls(params: Params) -> list[str]:
    """The message's media URLs (at most Twilio's 10), whatever NumMedia claims."""
    return [url for i in range(MAX_MEDIA) if (url := params.get(f"MediaUrl{i}"))]


def error_code(value: str) -> int | None:
    return int(value) if ERROR_CODE.fullmatch(value) else None
