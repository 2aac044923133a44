"""The pages worker: `manage.py run_pages` serves the pages queue and takes due ladder steps."""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from followup import paging, queues
from followup.health import describe

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the pages cluster (page sends, red-flag processing, the ladder's minute schedule) "
        "and take due escalation-ladder steps every few seconds."
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
        try:
            while not stop.is_set():
                if cluster.poll() is not None:
                    # Exit so the supervisor restarts both: pages must not go unserved.
                    raise CommandError(f"the pages cluster stopped (exit {cluster.returncode})")
                _ladder_pass()
                stop.wait(interval)
        finally:
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
