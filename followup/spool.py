"""Webhooks kept while the database is down: a Redis list or an append-only file, replayed later.

INBOUND_SPOOL_URL names the spool: `redis://...` (a Redis with append-only persistence, shared
by every web process and the worker) or a file path (one host: one JSON line per entry, synced
to disk before the webhook answers, locked against concurrent gunicorn workers). When that spool
fails too, entries go to the local file INBOUND_SPOOL_FALLBACK; replay reads both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import redis
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

REDIS_KEY = "followup:inbound-spool"
REDIS_DEAD_KEY = "followup:inbound-spool:dead"
# A webhook must answer within Twilio's 15 s: a Redis that does not answer is given up quickly.
REDIS_TIMEOUT = 2.0


class SpoolError(Exception):
    """Neither the spool nor the local fallback file could keep an entry."""


@dataclass(frozen=True)
class Entry:
    """One signed webhook request as received: enough to process it later as if it were now."""

    id: str
    route: str
    path: str
    params: dict[str, list[str]]
    received_at: dt.datetime
    # What the webhook answered (the TwiML message), recorded as the reply on replay.
    answered: str = ""

    @classmethod
    def received(cls, route: str, path: str, post: QueryDict, answered: str = "") -> Entry:
        """An entry for a request received now: every parameter posted, each value kept."""
        return cls(
            id=uuid.uuid4().hex,
            route=route,
            path=path,
            params={name: post.getlist(name) for name in post},
            received_at=timezone.now(),
            answered=answered,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "route": self.route,
                "path": self.path,
                "params": self.params,
                "received_at": self.received_at.isoformat(),
                "answered": self.answered,
            },
            ensure_ascii=True,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> Entry:
        """Raises ValueError when the line is not an entry this code wrote."""
        try:
            data = json.loads(raw)
            params = data["params"]
            if not isinstance(params, dict) or not all(
                isinstance(v, list) and all(isinstance(s, str) for s in v) for v in params.values()
            ):
                raise ValueError("params must map names to lists of strings")
            received_at = dt.datetime.fromisoformat(data["received_at"])
            if received_at.tzinfo is None:
                raise ValueError("received_at has no time zone")
            return cls(
                id=str(data["id"]),
                route=str(data["route"]),
                path=str(data["path"]),
                params=params,
                received_at=received_at,
                answered=str(data.get("answered", "")),
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a spool entry: {type(exc).__name__}") from None


class Store(Protocol):
    name: str

    def append(self, raw: str) -> None: ...
    def peek(self, limit: int) -> list[str]: ...
    def remove(self, raws: list[str]) -> None: ...
    def bury(self, raw: str) -> None: ...
    def depth(self) -> int: ...
    def dead(self) -> int: ...


class FileStore:
    """An append-only JSON-lines file; `<path>.lock` serialises writers, `<path>.dead` set aside."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.dead_path = self.path.with_name(self.path.name + ".dead")
        self.name = f"file {self.path}"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # A lock file of its own: the spool file is replaced on removal, and a writer waiting on
        # the old file's lock would append to a file no one reads any more.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def append(self, raw: str) -> None:
        with self._locked():
            _append_synced(self.path, raw)

    def _lines(self) -> list[str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        # A line cut short by a crash mid-write has no newline; it is kept (and dead-lettered).
        return [line for line in text.split("\n") if line.strip()]

    def peek(self, limit: int) -> list[str]:
        with self._locked():
            return self._lines()[:limit]

    def remove(self, raws: list[str]) -> None:
        if not raws:
            return
        gone = set(raws)
        with self._locked():
            kept = [line for line in self._lines() if line not in gone]
            spare = self.path.with_name(self.path.name + ".new")
            with open(spare, "w", encoding="utf-8") as out:
                out.write("".join(f"{line}\n" for line in kept))
                out.flush()
                os.fsync(out.fileno())
            os.replace(spare, self.path)
            _sync_folder(self.path.parent)

    def bury(self, raw: str) -> None:
        with self._locked():
            _append_synced(self.dead_path, raw)
        self.remove([raw])

    def depth(self) -> int:
        with self._locked():
            return len(self._lines())

    def dead(self) -> int:
        try:
            text = self.dead_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return 0
        return sum(1 for line in text.split("\n") if line.strip())


def _append_synced(path: Path, raw: str) -> None:
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{raw}\n".encode())
        # On disk before the webhook answers: a power cut must not lose what was answered as kept.
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class RedisStore:
    """A Redis list; durable as far as the server's append-only file is (appendfsync always)."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
            # One try: retries with back-off would outlast Twilio's 15 s; the file takes over.
            retry=Retry(NoBackoff(), 0),
        )
        self.name = "redis"

    def append(self, raw: str) -> None:
        self.client.rpush(REDIS_KEY, raw)

    def peek(self, limit: int) -> list[str]:
        # redis-py types its sync and asyncio clients' answers as one union.
        items: Any = self.client.lrange(REDIS_KEY, 0, limit - 1)
        return [item.decode() for item in items]

    def remove(self, raws: list[str]) -> None:
        if raws:
            pipe = self.client.pipeline()
            for raw in raws:
                pipe.lrem(REDIS_KEY, 1, raw)
            pipe.execute()

    def bury(self, raw: str) -> None:
        pipe = self.client.pipeline()  # MULTI: moved, never copied or lost
        pipe.rpush(REDIS_DEAD_KEY, raw)
        pipe.lrem(REDIS_KEY, 1, raw)
        pipe.execute()

    def depth(self) -> int:
        count: Any = self.client.llen(REDIS_KEY)
        return int(count)

    def dead(self) -> int:
        count: Any = self.client.llen(REDIS_DEAD_KEY)
        return int(count)


@cache
def _store(url: str) -> Store:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(url)
    return FileStore(url)


def primary() -> Store:
    return _store(settings.INBOUND_SPOOL_URL or settings.INBOUND_SPOOL_FALLBACK)


def fallback() -> Store:
    return _store(settings.INBOUND_SPOOL_FALLBACK)


def stores() -> list[Store]:
    """Every place an entry may be: the spool, and the fallback file when it is another."""
    first, second = primary(), fallback()
    return [first] if first is second else [first, second]


def put(entry: Entry) -> Store:
    """Keep an entry durably; returns where. Raises SpoolError when nowhere would take it."""
    raw = entry.to_json()
    tried = []
    for store in stores():
        try:
            store.append(raw)
        except (OSError, redis.RedisError) as exc:
            log.error("spool %s failed (%s); trying the next", store.name, type(exc).__name__)
            tried.append(f"{store.name}: {type(exc).__name__}")
            continue
        return store
    raise SpoolError("; ".join(tried))


def status() -> dict[str, object]:
    """What /healthz shows: entries waiting, dead letters, and how long the oldest has waited."""
    depth = dead = 0
    oldest: dt.datetime | None = None
    errors = []
    for store in stores():
        try:
            depth += store.depth()
            dead += store.dead()
            first = store.peek(1)
        except (OSError, redis.RedisError) as exc:
            errors.append(f"{store.name}: {type(exc).__name__}")
            continue
        with contextlib.suppress(ValueError):
            if first:
                received = Entry.from_json(first[0]).received_at
                oldest = received if oldest is None else min(oldest, received)
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    result: dict[str, object] = {"depth": depth, "dead": dead, "oldest_seconds": round(waited)}
    if errors:
        result["unreachable"] = errors
    return result
