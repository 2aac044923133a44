"""The pages worker: `manage.py run_pages` serves the pages queue, takes due ladder steps and
processes stored messages the moment they arrive, red flags first."""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from followup import conversation, paging, queues, wakeup
from followup.health import describe

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the pages cluster (page sends, the ladder's minute schedule), take due "
        "escalation-ladder steps every few seconds, and process stored messages as they "
        "arrive (red flags first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.PAGES_INTERVAL_SECONDS,
            help="seconds between ladder passes (default: PAGES_INTERVAL_SECONDS)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        interval = options["interval"]
        if not 0 < interval <= 60:
            raise CommandError(f"--interval {interval}: use more than 0 and at most 60 seconds")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        # A qcluster of its own: django-q2 reads Q_CLUSTER_NAME once, at import, to pick its queue.
        cluster = subprocess.Popen(
            [sys.executable, "-m", "django", "qcluster"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "followup.settings"
                ),
                "Q_CLUSTER_NAME": queues.PAGES,
            },
            # A group of its own: whatever it leaves behind is stopped with it.
            start_new_session=True,
        )
        self.stdout.write(f"Pages cluster started; ladder passes every {interval:g} s.")
        listener = wakeup.Listener()
        next_ladder = 0.0
        try:
            while not stop.is_set():
                if cluster.poll() is not None:
                    # Exit so the supervisor restarts both: pages must not go unserved.
                    raise CommandError(f"the pages cluster stopped (exit {cluster.returncode})")
                if time.monotonic() >= next_ladder:
                    _ladder_pass()
                    next_ladder = time.monotonic() + interval
                # At most an interval of messages, so a flood of replies never holds the ladder.
                _inbound_pass(interval)
                # Woken by a stored message's NOTIFY; the interval is the poll when one is missed.
                listener.wait(max(0.0, next_ladder - time.monotonic()))
        finally:
            listener.close()
            _stop(cluster)


def _stop(cluster: "subprocess.Popen[bytes]") -> None:
    # The cluster lets running tasks finish when asked to stop.
    if cluster.poll() is None:
        cluster.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            cluster.wait(timeout=60)
    # One that died hard (or would not stop) may have left its sentinel and workers running.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait()


def _ladder_pass() -> None:
    # The scheduler wakes every 30 s and the ladder's schedule is a minute: this loop is what
    # sends a page within seconds of its step falling due. Steps are claimed with a conditional
    # UPDATE, so this pass and the scheduled one never page twice.
    close_old_connections()
    try:
        paging.advance_ladders()
    except Exception as exc:
        # The database may be down: keep looping, the next pass tries again.
        log.error("ladder pass failed: %s", describe(exc))


def _inbound_pass(seconds: float) -> None:
    # Each message is claimed in turn, red flags first: a red flag that arrives while calm
    # replies are processed waits for one of them at most, never for the rest.
    close_old_connections()
    try:
        conversation.process_waiting(seconds=seconds)
    except Exception as exc:
        log.error("inbound pass failed: %s", describe(exc))
