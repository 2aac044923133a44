"""Queries the ORM compiles once per process, then runs with new parameters: for the webhook.

Compiling a query with subqueries costs the webhook more than running it (a few milliseconds of
Python per text, measured with tests/bench_webhook.py). The query is built once with a marker
in place of each parameter; each run sends the same SQL with the markers' values swapped in,
so the ORM stays the one place the SQL comes from, and values never enter the SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import QuerySet

M = TypeVar("M", bound=models.Model)


class Marker(str):
    """A parameter's stand-in while the query is compiled (never sent to the database)."""

    __slots__ = ()


class Prepared:
    """`build(**markers)` compiled once; `rows(**values)` runs it with the values in their place.

    Every marker must reach the SQL as a parameter as the backend sends such a value (a lookup's
    value, not a value the field converts); a marker that does not is refused when the query is
    first compiled. Values are sent the same way: unchanged on PostgreSQL, datetimes as text on
    SQLite (the demo).
    """

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        strings: Sequence[str] = (),
        ints: Sequence[str] = (),
        datetimes: Sequence[str] = (),
    ) -> None:
        self._build = build
        self._datetimes = tuple(datetimes)
        # Values no real parameter has, of the type each lookup expects.
        self._markers: dict[str, object] = {
            **{name: Marker(f"\x00{name}\x00") for name in strings},
            **{name: -(2**31) + n for n, name in enumerate(ints)},
            **{
                name: dt.datetime(1970, 1, 1, microsecond=n + 1, tzinfo=dt.UTC)
                for n, name in enumerate(datetimes)
            },
        }
        self._compiled: _Compiled | None = None

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows, converted as the ORM converts them (JSON decoded, datetimes aware)."""
        compiled = self._compile()
        sent = self._sent(values)
        bound = [
            param if slot is None else sent[slot]
            for slot, param in zip(compiled.slots, compiled.params, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [tuple(row) for row in rows]

    def first(self, model: type[M], **values: Any) -> M | None:
        """The first row as a `model`, for a query selecting `columns(model)`; None if none."""
        rows = self.rows(**values)
        return instance(model, rows[0]) if rows else None

    def _compile(self) -> _Compiled:
        if self._compiled is None:
            compiler = self._build(**self._markers).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            sent = self._sent(self._markers)
            slots = [_slot(sent, param) for param in params]
            missing = set(self._markers) - set(slots)
            if missing:
                raise ValueError(f"markers not passed through as parameters: {sorted(missing)}")
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            self._compiled = _Compiled(sql, slots, list(params), compiler, converters)
        return self._compiled

    def _sent(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values as the backend sends them: datetimes as DateTimeField sends them."""
        adapt = connection.ops.adapt_datetimefield_value
        return {**values, **{name: adapt(values[name]) for name in self._datetimes}}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list[str | None]
    params: list[Any]
    compiler: Any
    converters: dict[int, Any]


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
    return model.from_db(connection.alias, columns(model), list(values))
