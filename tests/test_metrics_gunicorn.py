"""/metrics under gunicorn with two workers: values added up across processes, database or not."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_metrics import samples, value

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        # Nothing listens there: the database is down for this server.
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/followup",
        "DJANGO_ENV": "development",
        "LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "followup.settings",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "followup.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(f"{base}/livez")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start: {(tmp_path / 'gunicorn.log').read_text()}")
        yield base, multiproc
    finally:
        # SIGQUIT: gunicorn's quick shutdown.
        server.send_signal(signal.SIGQUIT)
        server.wait(timeout=10)
        log.close()


@pytest.mark.slow
def test_two_workers_are_added_up_and_a_scrape_without_database_still_answers(gunicorn):
    base, multiproc = gunicorn

    def forged(_):
        return get(f"{base}/twilio/sms/", b"MessageSid=SM1&Body=hi", {"X-Twilio-Signature": "x"})

    host, port = base.removeprefix("http://").split(":")

    def hold_a_worker():
        # A request that never ends keeps the sync worker that took it busy reading it.
        held = socket.create_connection((host, int(port)))
        held.sendall(b"POST /twilio/sms/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.3)
        return held

    def batch():
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(forged, range(20)))
        assert {status for status, _ in statuses} == {403}
        return len(statuses)

    # One worker is held while the other answers a batch, then the other way round: each writes
    # its counters to a file of its own.
    first = hold_a_worker()
    sent = batch()
    second = hold_a_worker()
    first.close()
    sent += batch()
    second.close()
    assert len(list(multiproc.glob("counter_*.db"))) == 2
    for _ in range(4):
        status, text = get(f"{base}/metrics")
        assert status == 200
        scraped = samples(text)
        assert (
            value(scraped, "followup_inbound_messages_total", channel="sms", outcome="rejected")
            == sent
        )
        assert (
            value(
                scraped,
                "followup_webhook_duration_seconds_count",
                endpoint="twilio-sms",
                status_class="4xx",
            )
            == sent
        )
        assert value(scraped, "followup_database_up") == 0
