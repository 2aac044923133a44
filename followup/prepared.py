"""Queries the ORM compiles once per process, then runs with new parameters: for the webhook.

Compiling a query with subqueries costs the webhook more than running it (a few milliseconds of
Python per text, measured with tests/bench_webhook.py). The query is built once with a marker
in place of each parameter; each run sends the same SQL with the markers' values swapped in,
so the ORM stays the one place the SQL comes from, and values never enter the SQL text.

On PostgreSQL each statement is also prepared on the server, once per connection: the server
parses it once and runs it with each new set of values, keeping one plan only where one plan
serves every value (it still plans the sender query for each number, as it should: most
caregiver numbers are blank). Behind PgBouncer (DB_POOLING) nothing is prepared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import connection, models
from django.db.backends.utils import CursorWrapper
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
        with _cursor() as cursor:
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


class _PreparingCursor(psycopg.Cursor[Any]):
    """Values bound on the server, each statement prepared there the first time it runs."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> _PreparingCursor:
        super().execute(query, params, **{**options, "prepare": True})
        # What Django's query log shows (last_executed_query), composed only if it asks.
        self._query = _Shown(self.connection, query, params)  # type: ignore[assignment]
        return self


@dataclass(frozen=True)
class _Shown:
    """A statement and its values as one text, as the ORM's own cursor would have sent it."""

    conn: psycopg.Connection[Any]
    sql: str
    params: Any

    @property
    def query(self) -> bytes:
        return psycopg.ClientCursor(self.conn).mogrify(self.sql, self.params).encode()


def _cursor() -> CursorWrapper:
    """A cursor of the ORM's connection (its wrappers and errors), preparing on PostgreSQL."""
    if connection.vendor != "postgresql" or settings.DB_POOLING:
        # Behind PgBouncer's transaction pooling a connection's prepared statements are not its own.
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns preparing off (None); only statements asked for (prepare=True) are.
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        # As connection.cursor() wraps its own cursors: in the query log when it is kept.
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        cursor: CursorWrapper = wrap(_PreparingCursor(raw))  # type: ignore[arg-type]
        return cursor


# psycopg prepares a statement on its own after this many runs: never, in practice.
_ONLY_WHEN_ASKED = 2**31 - 1


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
