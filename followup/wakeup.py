"""Wake a worker the moment a message is stored: PostgreSQL's LISTEN/NOTIFY, polling as fallback.

The trigger of migration 0024 notifies INBOUND when an unprocessed inbound row commits: the
webhook pays no round trip for it. A notification can be missed (the listening connection
dropped, the worker restarted): the caller's loop still looks every few seconds.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import psycopg
from django.db import connection

from followup.health import describe

log = logging.getLogger(__name__)

# The channel the trigger notifies; see migration 0024_inbound_work_item.
INBOUND = "followup_inbound"


class Listener:
    """A connection of its own that LISTENs: Django's may be closed between passes."""

    def __init__(self, channel: str = INBOUND) -> None:
        self.channel = channel
        self._connection: psycopg.Connection[Any] | None = None

    def wait(self, seconds: float) -> bool:
        """Block until a notification comes or `seconds` pass; True when one came."""
        if connection.vendor != "postgresql":
            # The demo's SQLite has no NOTIFY: the caller's poll is all there is.
            time.sleep(seconds)
            return False
        try:
            listening = self._listening()
            woken = any(True for _ in listening.notifies(timeout=seconds, stop_after=1))
            if woken:
                # Those that came meanwhile are served by the same pass: one wake-up for them all.
                for _ in listening.notifies(timeout=0):
                    pass
            return woken
        except Exception as exc:
            # The database may be down: sleep the interval out, listen afresh next time.
            log.warning("listening for %s failed: %s", self.channel, describe(exc))
            self.close()
            time.sleep(seconds)
            return False

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def _listening(self) -> psycopg.Connection[Any]:
        if self._connection is None:
            listening = psycopg.connect(**connection.get_connection_params(), autocommit=True)
            listening.execute(f"LISTEN {self.channel}")
            self._connection = listening
        return self._connection
