"""Real qcluster processes on the test database, with either task broker, and their outbox."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection
from django_q.conf import Conf

from tests.servers import redis_server

ROOT = Path(__file__).resolve().parent.parent
BROKERS = ["orm", "redis"]


@contextlib.contextmanager
def task_broker(name: str, folder: Path) -> Iterator[str]:
    """The broker clusters are started with, and that this process enqueues to: its Q_BROKER_URL.

    "orm" is the database (no URL); "redis" a Redis of the test's own. django-q2 reads its
    settings once into `Conf`, so the test process is switched there and switched back after.
    """
    if name == "orm":
        yield ""
        return
    with redis_server(folder / "redis") as server:
        saved = Conf.ORM, Conf.REDIS
        Conf.ORM, Conf.REDIS = None, server.url()
        try:
            yield server.url()
        finally:
            Conf.ORM, Conf.REDIS = saved


def start_cluster(
    folder: Path,
    broker_url: str,
    *,
    rate: int,
    workers: int = 2,
    log: str = "cluster",
    command: tuple[str, ...] = ("qcluster",),
) -> subprocess.Popen[bytes]:
    """A qcluster in a session of its own, so that all its processes can be killed at once.

    `command=("run_pages",)` starts the pages worker instead: its cluster and its ladder loop.
    """
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TWILIO_GATEWAY": "fake",
        "TWILIO_FAKE_OUTBOX": str(outbox_file(folder)),
        "TWILIO_SEGMENTS_PER_SECOND": str(rate),
        "TWILIO_WEBHOOK_BASE_URL": "",
        "Q_WORKERS": str(workers),
    }
    env.pop("Q_BROKER_URL", None)
    if broker_url:
        env["Q_BROKER_URL"] = broker_url
    handle = (folder / f"{log}.log").open("a")
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=handle,
        start_new_session=True,
    )


def stop_cluster(cluster: subprocess.Popen[bytes]) -> None:
    cluster.terminate()
    try:
        cluster.wait(timeout=30)
    except subprocess.TimeoutExpired:
        kill_cluster(cluster)


def kill_cluster(cluster: subprocess.Popen[bytes]) -> None:
    """kill -9 of the cluster and every worker it forked: nothing gets to clean up.

    run_pages starts its qcluster in a session of its own: that one is killed with it.
    """
    groups = [cluster.pid, *_children(cluster.pid)]
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    cluster.wait(timeout=30)


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in listed.split()]


def outbox_file(folder: Path) -> Path:
    return folder / "outbox.jsonl"


def sent(folder: Path) -> list[dict[str, Any]]:
    """What the fake Twilio accepted, from every cluster: one record a send."""
    path = outbox_file(folder)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
