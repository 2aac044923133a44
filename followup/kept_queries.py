"""Scoped querysets compiled once per process and run again with the clock moved on.

Building a scoped queryset and compiling it costs the dashboard more than running it (most of
an empty dashboard's refresh, measured with tests/measure_dashboard.py). A statement is kept by
a key that names everything that shapes it (whose scope, which limits); what moves with time
("received before now - 30 min") is found by compiling it twice, a day apart, and only those
parameters move on each run. A statement that depends on the time in any other way is never
kept, only compiled afresh each time.
"""

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Model, QuerySet
from django.dispatch import receiver

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


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    # A setting may shape a statement (how long before an untriaged reply is overdue).
    _kept.clear()


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
    fixed = (kept.sql, kept.params_at(now))
    # A copy per run (a threaded server runs several at once), on this thread's connection,
    # that answers the kept statement instead of compiling again; the ORM loads its rows.
    compiler = copy.copy(kept.compiler)
    compiler.connection = connections[kept.queryset.db]
    setattr(compiler, "as_sql", lambda *args, **kwargs: fixed)  # noqa: B010
    queryset = kept.queryset._chain()
    setattr(queryset.query, "get_compiler", lambda *args, **kwargs: compiler)  # noqa: B010
    return list(queryset)


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
    _kept[key] = dataclasses.replace(compiled, moving=moving)
    return True
