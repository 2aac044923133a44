"""Queries the ORM compiles once per process, then runs with new parameters: for the webhook.

Compiling a query with subqueries costs the webhook more than running it (a few milliseconds of
Python per text, measured with tests/bench_webhook.py). The query is built once with a marker
in place of each parameter; each run sends the same SQL with the markers' values swapped in,
so the ORM stays the one place the SQL comes from, and values never enter the SQL text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import QuerySet

M = TypeVar("M", bound=models.Model)


class Marker(str):
    """A parameter's stand-in while the query is compiled (never sent to the database)."""

    __slots__ = ()


class Prepared:
    """`build(**markers)` compiled once; `rows(**values)` runs it with the values in their place.

    Every marker must reach the SQL as a parameter unchanged (a lookup's value, not a value the
    field converts); a marker that does not is refused when the query is first compiled.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        strings: Sequence[str] = (),
        ints: Sequence[str] = (),
        datetimes: Sequence[str] = (),
    ) -> None:
        self._build = build
        # Values no real parameter has, of the type each lookup expects.
        self._markers: dict[str, object] = {
            **{name: Marker(f"\x00{name}\x00") for name in strings},
            **{name: -(2**31) + n for n, name in enumerate(ints)},
            **{
                name: dt.datetime(1, 1, 1, microsecond=n + 1, tzinfo=dt.UTC)
                for n, name in enumerate(datetimes)
            },
        }
        self._compiled: tuple[str, list[str | None], list[Any]] | None = None

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        sql, slots, params = self._compile()
        bound = [
            param if slot is None else values[slot]
            for slot, param in zip(slots, params, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows

    def _compile(self) -> tuple[str, list[str | None], list[Any]]:
        if self._compiled is None:
            markers = self._markers
            query = self._build(**markers).query
            sql, params = query.get_compiler(connection=connection).as_sql()
            slots = [_slot(markers, param) for param in params]
            missing = set(markers) - set(slots)
            if missing:
                raise ValueError(f"markers not passed through as parameters: {sorted(missing)}")
            self._compiled = (sql, slots, list(params))
        return self._compiled


def _slot(markers: dict[str, object], param: object) -> str | None:
    for name, marker in markers.items():
        if type(param) is type(marker) and param == marker:
            return name
    return None


def columns(model: type[models.Model]) -> list[str]:
    """Every column of `model`, as `instance` reads them back."""
    return [field.attname for field in model._meta.concrete_fields]


def instance(model: type[M], values: Sequence[Any]) -> M:
    """A `model` from the values of `columns(model)`, as a query of the ORM would load it."""
    converted = []
    for field, value in zip(model._meta.concrete_fields, values, strict=True):
        if value is not None and hasattr(field, "from_db_value"):
            value = field.from_db_value(value, None, connection)
        converted.append(value)
    return model.from_db(connection.alias, columns(model), converted)


def json_value(value: object) -> Any:
    # Django has psycopg hand jsonb over as text, for JSONField to decode.
    return json.loads(value) if isinstance(value, str | bytes) else value
