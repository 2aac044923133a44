"""Scoped querysets compiled once per process and run again with the clock moved on.

Building a scoped queryset and compiling it costs the dashboard more than running it (most of
an empty dashboard's refresh, measured with tests/measure_dashboard.py). A statement is kept by
a key that names everything that shapes it (whose scope, which limits); what moves with time
("received before now - 30 min") is found by compiling it twice, a day apart, and only those
parameters move on each run. A statement that depends on the time in any other way is never
kept, only compiled afresh each time.

On PostgreSQL a kept statement is also planned once per connection (`_sent`): planning the
dashboard's version statement took as long as running it at 1,000 open escalations.
"""

import copy
import dataclasses
import datetime as dt
import hashlib
import re
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.dispatch import receiver
from psycopg import ClientCursor

M = TypeVar("M", bound=Model)

# Statements kept per process; emptied when full.
KEPT = 1000
# How far apart the two compilations that find the clock's parameters are.
PROBE = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Compiled:
    sql: str
    params: list[Any]
    moving: frozenset[int]
    at: dt.datetime
    # The ORM's compiler of the query and the queryset it came from, to load rows as models.
    compiler: Any = None
    queryset: Any = None

    def params_at(self, now: dt.datetime) -> list[Any]:
        shift = now - self.at
        return [p + shift if i in self.moving else p for i, p in enumerate(self.params)]


_kept: dict[Hashable, Compiled] = {}
# A kept statement as it is prepared, by key: its name, its PREPARE and where its moving
# values are; and the names each open connection has prepared.
_planned: dict[Hashable, tuple[str, str, list[int]]] = {}
_prepared_on: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    # A setting may shape a statement (how long before an untriaged reply is overdue).
    _kept.clear()
    _planned.clear()


def statement(
    key: Hashable, now: dt.datetime, compile_at: Callable[[dt.datetime], tuple[str, list[Any]]]
) -> tuple[str, list[Any]]:
    """The SQL and parameters `compile_at(now)` gives, compiled once for `key`."""
    kept = _kept.get(key)
    if kept is not None:
        return kept.sql, kept.params_at(now)
    sql, params = compile_at(now)
    _keep(key, Compiled(sql, params, frozenset(), now), compile_at(now - PROBE))
    return sql, params


def rows(key: Hashable, now: dt.datetime, build: Callable[[dt.datetime], QuerySet[M]]) -> list[M]:
    """The models `build(now)` gives, as the ORM loads them (related rows, annotations), its
    statement compiled once for `key`."""
    kept = _kept.get(key)
    if kept is None:
        queryset = build(now)
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
            earlier = build(now - PROBE).query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:
            # Nothing can match (no scope at all): nothing to read or keep.
            return []
        compiled = Compiled(sql, list(params), frozenset(), now, compiler, queryset)
        if not _keep(key, compiled, earlier):
            return list(queryset)
        kept = _kept[key]
    db = connections[kept.queryset.db]
    fixed = _sent(key, kept, kept.params_at(now), db)
    # A copy per run (a threaded server runs several at once), on this thread's connection,
    # that answers the kept statement instead of compiling again; the ORM loads its rows.
    compiler = copy.copy(kept.compiler)
    compiler.connection = db
    setattr(compiler, "as_sql", lambda *args, **kwargs: fixed)  # noqa: B010
    queryset = kept.queryset._chain()
    setattr(queryset.query, "get_compiler", lambda *args, **kwargs: compiler)  # noqa: B010
    return list(queryset)


def first_row(
    key: Hashable, now: dt.datetime, compile_at: Callable[[dt.datetime], tuple[str, list[Any]]]
) -> tuple[Any, ...] | None:
    """The first row of the statement `compile_at(now)` gives, compiled once for `key` (as
    psycopg reads it, with no conversion by the ORM)."""
    sql, params = statement(key, now, compile_at)
    kept = _kept.get(key)
    if kept is not None:
        sql, params = _sent(key, kept, params, connection)
    row: tuple[Any, ...] | None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row


def _sent(
    key: Hashable, kept: Compiled, params: list[Any], db: BaseDatabaseWrapper
) -> tuple[str, list[Any]]:
    """What to send for a run of a kept statement with `params` (its values at this run's
    time): on PostgreSQL, an `EXECUTE` of it as this connection prepared it (preparing it first
    when it has not).

    It is prepared with every value that does not move with the clock written in as a literal,
    quoted by psycopg as Django's client-side binding quotes every value it sends, and the
    clock's values as its parameters: one plan serves every run and still uses the partial
    indexes those literals select. Prepared with all its values as parameters, the dashboard's
    version got a plan for any value, which read whole tables (README, "What watching the
    dashboard costs"). Behind PgBouncer's transaction pooling a connection's prepared statements
    are not its own: there nothing is prepared, and the statement is sent whole.
    """
    if db.vendor != "postgresql" or settings.DB_POOLING:
        return kept.sql, params
    with db.cursor() as cursor:
        if key not in _planned:
            _planned[key] = _prepared(kept, db.connection)
        name, prepare, moving = _planned[key]
        held = _prepared_on.setdefault(db.connection, set())
        if name not in held:
            # The server keeps it for the connection's life, whatever its transaction does.
            cursor.execute(prepare)
            held.add(name)
    values = [params[i] for i in moving]
    return (
        f"EXECUTE {name}({', '.join(['%s'] * len(values))})" if values else f"EXECUTE {name}",
        values,
    )


def _prepared(kept: Compiled, raw: Any) -> tuple[str, str, list[int]]:
    """A name for the kept statement, its `PREPARE` with the fixed values written in as literals
    and the clock's as parameters ($1, $2...), and the positions of the clock's values; `raw` is
    the psycopg connection whose quoting it uses."""
    parts: list[str] = []
    moving: list[int] = []
    at = 0
    with ClientCursor(raw) as quoting:
        # Django's SQL holds `%s` for each value and `%%` for a percent sign.
        for part in re.split(r"(%%|%s)", kept.sql):
            if part == "%%":
                parts.append("%")
            elif part != "%s":
                parts.append(part)
            elif at in kept.moving:
                moving.append(at)
                parts.append(f"${len(moving)}")
            else:
                parts.append(quoting.mogrify("%s", [kept.params[at]]))
            if part == "%s":
                at += 1
    # The clock's values are all aware datetimes (`_keep` keeps no other kind of moving value).
    types = f"({', '.join(['timestamptz'] * len(moving))})" if moving else ""
    body = f"{types} AS {''.join(parts)}"
    name = "kept_" + hashlib.sha256(body.encode()).hexdigest()[:24]
    return name, f"PREPARE {name} {body}", moving


def _keep(key: Hashable, compiled: Compiled, earlier: tuple[str, list[Any]]) -> bool:
    earlier_sql, earlier_params = earlier
    params = compiled.params
    if earlier_sql != compiled.sql or len(earlier_params) != len(params):
        return False
    # Compared by repr: psycopg's Jsonb wrappers of equal values are not equal.
    moving = frozenset(
        i for i, (p, q) in enumerate(zip(params, earlier_params, strict=True)) if repr(p) != repr(q)
    )
    if not all(
        isinstance(params[i], dt.datetime) and params[i] - earlier_params[i] == PROBE
        for i in moving
    ):
        return False
    if len(_kept) >= KEPT:
        _kept.clear()
        _planned.clear()
    _kept[key] = dataclasses.replace(compiled, moving=moving)
    return True
