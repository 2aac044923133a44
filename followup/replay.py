"""Spooled webhooks stored once the database is back, through the same path as when they arrive.

Exactly once: InboundMessage is unique on its MessageSid, so an entry replayed again (a replay
that stopped between storing and removing it, a message Twilio delivered again meanwhile) is a
duplicate, never a second row; an entry leaves the spool only after its transaction committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from django.db import InterfaceError, OperationalError, connection
from django.http import QueryDict
from django.urls import resolve

from followup import delivery, escalation, spool, twilio_params
from followup.inbound import receive_sms
from followup.models import OutboundMessage

log = logging.getLogger(__name__)

BATCH = 100
# The worker's minute task replays this many at most: well inside django-q's 60 s task timeout.
WORKER_LIMIT = 1000


class DatabaseDown(Exception):
    """The database cannot be reached: nothing is replayed, nothing leaves the spool."""


@dataclass
class Replayed:
    stored: int = 0
    duplicates: int = 0
    dead: int = 0
    left: int = 0


def replay(limit: int = 10_000) -> Replayed:
    """Store what the spool holds, oldest first; raises DatabaseDown if the database is down."""
    counts = Replayed()
    try:
        connection.ensure_connection()
    except (OperationalError, InterfaceError) as exc:
        raise DatabaseDown(str(exc).strip()) from None
    for store in spool.stores():
        try:
            _replay_store(store, counts, limit)
            counts.left += store.depth()
        except (OSError, redis.RedisError) as exc:
            log.error("spool %s could not be read (%s)", store.name, type(exc).__name__)
    return counts


def _replay_store(store: spool.Store, counts: Replayed, limit: int) -> None:
    while counts.stored + counts.duplicates + counts.dead < limit:
        raws = store.peek(BATCH)
        done: list[str] = []
        try:
            for raw in raws:
                try:
                    duplicate = replay_entry(raw)
                except (OperationalError, InterfaceError) as exc:
                    raise DatabaseDown(str(exc).strip()) from None
                except Exception as exc:
                    store.bury(raw)
                    counts.dead += 1
                    log.error(
                        "a spool entry could not be replayed (%s); moved to the dead letters",
                        type(exc).__name__,
                    )
                    continue
                done.append(raw)
                if duplicate:
                    counts.duplicates += 1
                else:
                    counts.stored += 1
        finally:
            # Committed (or found stored already): safe to forget.
            store.remove(done)
        if len(raws) < BATCH or not raws:
            return


def replay_entry(raw: str) -> bool:
    """Store one entry as if it arrived at its receive time; True if it was stored already."""
    entry = spool.Entry.from_json(raw)
    post = QueryDict(mutable=True)
    for name, values in entry.params.items():
        post.setlist(name, values)
    twilio_params.check_sids(post)
    calls = ("call-status", "page-ack")
    twilio_params.require(post, "CallSid" if entry.route in calls else "MessageSid")
    params = twilio_params.parse(post)
    if entry.route == "sms":
        received = receive_sms(params, received_at=entry.received_at, answered=entry.answered)
        return received.duplicate
    if entry.route == "status":
        # Forward-only: a status already recorded, or a later one, leaves it as it is.
        delivery.record_message_status(params)
        return False
    if entry.route == "call-status":
        delivery.record_call_status(params.get("CallSid"), params.get("CallStatus"))
        return False
    if entry.route == "page-ack":
        # The page is the one the call was about: its id is in the path the call posted to.
        match = resolve(entry.path)
        if match.url_name != "twilio-voice-page-ack":
            raise ValueError("a page acknowledgement kept under another path")
        pages = OutboundMessage.objects.filter(
            pk=match.kwargs["pk"], kind=OutboundMessage.Kind.PAGE
        )
        page = pages.select_related("staff").first()
        if page is not None:
            escalation.acknowledge_page(page, at=entry.received_at)
        return False
    raise ValueError(f"unknown route {entry.route[:20]!r}")


def replay_quietly() -> Replayed | None:
    """The worker's call: nothing to do while the database is down, and no spool is no error."""
    try:
        counts = replay(limit=WORKER_LIMIT)
    except DatabaseDown:
        return None
    if counts.stored or counts.duplicates or counts.dead:
        log.info(
            "spool replayed: %d stored, %d duplicates, %d dead letters, %d left",
            counts.stored,
            counts.duplicates,
            counts.dead,
            counts.left,
        )
    return counts
