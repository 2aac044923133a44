"""How much of each dashboard list a nurse sees: every open emergency, then the most pressing
rows of each list up to a limit, with counts and links for more."""

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

# A first screen a nurse can take in and the server renders cheaply however many rows are open:
# every emergency, then this many more of each list, most pressing first, with "show more".
SHOWN = 50
# Lists that can grow long, by the query parameter that asks for more of them.
LISTS = ("escalations", "messages", "calls", "sends")


class BadLimit(ValueError):
    pass


def limits(params: QueryDict) -> dict[str, int]:
    """How many rows of each list to show (`?escalations=100`); a bad number is an error."""
    found = {}
    for name in LISTS:
        value = params.get(name, "")
        # The length first: int() refuses a string of thousands of digits with an error.
        if value and not (value.isdecimal() and len(value) <= 6 and 0 < int(value) <= 100_000):
            raise BadLimit(f"{name} must be a whole number of rows from 1 to 100000.")
        found[name] = int(value) if value else SHOWN
    return found


def bounded(shown: list[Any], limit: int, total: int) -> dict[str, Any]:
    """The first `limit` rows of a list of `total` (counted with the dashboard's version)."""
    # Counted a moment before the rows were read: never say fewer than are shown.
    total = max(total, len(shown))
    return {"rows": shown, "total": total, "more": total > limit}


def defaults() -> dict[str, int]:
    return dict.fromkeys(LISTS, SHOWN)


def more_link(shown: dict[str, int], name: str) -> str:
    """The query string that shows SHOWN more rows of one list and as many of the others."""
    wanted = {**shown, name: shown[name] + SHOWN}
    return urlencode({key: value for key, value in wanted.items() if value != SHOWN})


def rows_url(shown: dict[str, int]) -> str:
    query = urlencode({key: value for key, value in shown.items() if value != SHOWN})
    return reverse("dashboard-rows") + (f"?{query}" if query else "")
