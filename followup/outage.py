"""Webhooks while the database is down: a deadline on their database work, then the spool.

Twilio does not retry a text's webhook: an error answer loses the message. So a webhook whose
database work fails or takes too long answers from here, without the database: the safety
advice when the words call for it, and the request kept in the spool (followup/spool.py) for
followup.replay to store once the database is back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import socket
import threading
import time
from collections.abc import Iterator
from types import FrameType

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import QueryDict

import triage
from followup import spool

log = logging.getLogger(__name__)

# The normal wording is rendered per care team from the database; this one needs nothing. It
# reuses the safety templates' words (safety_unknown_sender, safety_emergency), in both languages
# since the sender's is unknown here, and it says that no one has been told: no one has, yet.
OUTAGE_SAFETY_REPLY = (
    "If this is an emergency, call 911 or go to the nearest emergency room now. "
    "We cannot pass on your message right now, so no one has been told yet. "
    "Si es una emergencia, llame al 911 o vaya ahora a la sala de emergencias. "
    "No podemos pasar su mensaje ahora y nadie fue avisado todavía."
)
# A call's webhook cannot go on without the database: the call says so, gives the same advice in
# both languages (911 digit by digit, as followup.speech says it), and ends.
OUTAGE_CALL = {
    "en": "We cannot take your answers right now. If this is an emergency, call 9 1 1 "
    "or go to the nearest emergency room now. Goodbye.",
    "es": "No podemos recibir sus respuestas ahora. Si es una emergencia, llame al 9 1 1 "
    "o vaya ahora a la sala de emergencias. Adiós.",
}
# A page call without the database cannot read the page; the clinician hears that, and where to
# look. Pages are in English (followup.paging).
OUTAGE_PAGE_CALL = (
    "This is Spine Follow-up. A patient may need you, but we cannot read the page right now. "
    "Please open the escalation dashboard. Goodbye."
)
# Pressing 1 while the database is down: kept, and recorded when the database is back.
OUTAGE_PAGE_ACK_KEPT = (
    "We cannot record your acknowledgement right now. It is kept, and will be recorded when "
    "the system is back. Please open the escalation dashboard. Goodbye."
)
# Neither the database nor the spool could keep it.
OUTAGE_PAGE_ACK_LOST = (
    "We cannot record your acknowledgement right now. Please acknowledge on the escalation "
    "dashboard. Goodbye."
)
# After a failure, this process leaves the database alone this long (plus up to as much again,
# so that workers do not all try at once): a frozen server would hold every request for the
# whole deadline, and Twilio's 15 s would run out for the requests queued behind them.
RETRY_AFTER_SECONDS = 5.0


class DatabaseDeadline(Exception):
    """The webhook's database work did not finish in WEBHOOK_DB_DEADLINE seconds."""


DATABASE_DOWN = (OperationalError, InterfaceError, DatabaseDeadline)

_down_until = 0.0


def database_skipped() -> bool:
    """True while this process waits out a recent database failure."""
    return time.monotonic() < _down_until


def _mark_down() -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS * (1 + random.random())  # noqa: S311


@contextlib.contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise DatabaseDeadline in the block after `seconds`, and cut the database connection.

    A SIGALRM timer, so only in the main thread (gunicorn's sync workers, the test client);
    elsewhere the block runs without one. Raises DatabaseDeadline at once while this process
    waits out a recent failure.
    """
    if database_skipped():
        raise DatabaseDeadline("the database failed moments ago")
    seconds = settings.WEBHOOK_DB_DEADLINE if seconds is None else seconds
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        # psycopg's waits return to Python for signals; with its socket shut, anything more on
        # this connection (the rollback on the way out) fails at once instead of waiting.
        _cut_connection()
        raise DatabaseDeadline(f"no answer from the database in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _cut_connection() -> None:
    raw = connection.connection
    if raw is None:
        return
    with contextlib.suppress(Exception):
        duplicate = socket.socket(fileno=os.dup(raw.fileno()))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()


def discard_connection() -> None:
    """Drop the connection so the next request connects afresh; never waits on the server."""
    _cut_connection()
    with contextlib.suppress(Exception):
        connection.close()
    # Whatever close() left behind (it may keep it inside a transaction) is not reused.
    connection.connection = None


def safety_reply(body: str) -> str:
    """The safety advice for these words without the database: triage is pure Python."""
    try:
        assessment = triage.evaluate(body, question="general", lang="en", channel="sms")
    except Exception:
        log.exception("triage failed for a message received while the database is down")
        # Unread words get the advice: it is true of any message, and costs nothing to hear.
        return OUTAGE_SAFETY_REPLY
    # As _safety_reply answers an unknown sender: urgent and above get the advice.
    return OUTAGE_SAFETY_REPLY if assessment.severity >= triage.Severity.URGENT else ""


def keep_sms(path: str, post: QueryDict, exc: Exception) -> str:
    """A text received while the database is down: kept for replay; returns the reply due.

    Raises spool.SpoolError when it could not be kept anywhere.
    """
    _database_failed(path, exc)
    # Nothing but the advice: an acknowledgement could read as "someone is looking" when no one
    # can be; after replay the conversation carries on as usual.
    reply = safety_reply(post.get("Body", ""))
    _keep(spool.Entry.received("sms", path, post, answered=reply))
    return reply


def keep(route: str, path: str, post: QueryDict, exc: Exception) -> None:
    """A callback received while the database is down, kept for replay under its route."""
    _database_failed(path, exc)
    _keep(spool.Entry.received(route, path, post))


def call_failed(path: str, exc: Exception) -> None:
    """A call's webhook could not reach the database: nothing to keep, the call ends."""
    _database_failed(path, exc)


def _database_failed(path: str, exc: Exception) -> None:
    if not database_skipped():
        # Only a real failure starts the wait: requests skipped meanwhile must not prolong it.
        log.warning("database unavailable (%s): spooling %s", type(exc).__name__, path)
        _mark_down()
    discard_connection()


def _keep(entry: spool.Entry) -> None:
    try:
        spool.put(entry)
    except spool.SpoolError as exc:
        log.error("a webhook could not be kept anywhere: %s", exc)
        raise
