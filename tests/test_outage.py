"""The database down under steady webhook traffic: nothing lost, nothing stored twice, every answer
inside Twilio's 15 s, every emergency told to call 911.

A PostgreSQL and a Redis of the test's own (tests/servers.py), gunicorn serving the app from a
subprocess, and a thread posting signed texts at 10 a second: the database is stopped (refusing
connections) and, separately, frozen with SIGSTOP (connections hang), then the spool is replayed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from twilio.request_validator import RequestValidator

from followup.outage import OUTAGE_SAFETY_REPLY
from tests.servers import PostgresServer, free_port, manage, postgres_server, redis_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "outage-test-token"
PATIENT_PHONE = "+17735559001"
EMERGENCY = "I can't feel my legs and I wet myself"
RATE = 10  # texts a second
TWILIO_LIMIT = 15.0


@dataclass
class Sent:
    sid: str
    emergency: bool
    at: float
    status: int = 0
    seconds: float = 0.0
    body: str = ""


@dataclass
class Stack:
    base_url: str
    database_url: str
    env: dict[str, str]
    database: PostgresServer


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    with postgres_server() as database, redis_server(folder / "redis") as redis:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_ENV": "development",
            "DATABASE_URL": database.create_database("followup"),
            "INBOUND_SPOOL_URL": redis.url(1),
            "INBOUND_SPOOL_FALLBACK": str(folder / "fallback.jsonl"),
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_GATEWAY": "fake",
            "TWILIO_WEBHOOK_BASE_URL": base_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DB_CONNECT_TIMEOUT": "3",
            "LOG_LEVEL": "WARNING",
        }
        manage("migrate", "--noinput", env=env)
        manage(
            "shell",
            "-c",
            "from tests.factories import make_enrolled_patient; "
            f"make_enrolled_patient(phone={PATIENT_PHONE!r})",
            env=env,
        )
        # The app imported once and the workers forked from it (--preload), as production runs
        # it (deploy/gunicorn.conf.py), not imported by each of four workers at once: on a loaded
        # machine that start-up outlasted the wait.
        log = folder / "gunicorn.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                [
                    *(str(BIN / "gunicorn"), "followup.wsgi", "-b", f"127.0.0.1:{port}"),
                    *("-w", "4", "--preload", "--timeout", "60", "--log-level", "warning"),
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_live(base_url, server, log)
            yield Stack(base_url, env["DATABASE_URL"], env, database)
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_until_live(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Until /livez answers; a gunicorn that exits, or never answers, fails with its own log."""
    deadline = time.monotonic() + 120  # generous: the wait ends as soon as it answers
    while True:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base_url}/livez", timeout=2) as response,
        ):
            if response.status == 200:
                return
        if server.poll() is not None or time.monotonic() > deadline:
            said = log.read_text(errors="replace")[-4000:]
            raise TimeoutError(f"gunicorn did not start (exit code {server.returncode}):\n{said}")
        time.sleep(0.2)


class Traffic:
    """Signed texts at a steady rate: emergencies, texts from the known patient, retries."""

    def __init__(self, stack: Stack, phase: int) -> None:
        self.url = f"{stack.base_url}/twilio/sms/"
        self.validator = RequestValidator(TOKEN)
        self.phase = phase
        self.sent: list[Sent] = []
        self.params: list[dict[str, str]] = []
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=48)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Traffic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _run(self) -> None:
        for n in itertools.count():
            if self._stop.is_set():
                return
            if n % 7 == 6 and self.params:
                # Twilio's own retry of an earlier text: the same MessageSid again.
                params = self.params[n // 2]
            else:
                params = self._new(n)
                self.params.append(params)
            sent = Sent(params["MessageSid"], params["Body"] == EMERGENCY, time.monotonic())
            self.sent.append(sent)
            self._pool.submit(self._post, params, sent)
            time.sleep(1 / RATE)

    def _new(self, n: int) -> dict[str, str]:
        return {
            "MessageSid": f"SM{self.phase:02x}{n:030x}",
            "AccountSid": "AC" + "0" * 32,
            "From": PATIENT_PHONE if n % 3 == 0 else f"+1312555{n % 10000:04d}",
            "To": "+15005550006",
            "Body": EMERGENCY if n % 5 == 0 else f"feeling better today, walked {n} steps",
            "NumMedia": "0",
        }

    def _post(self, params: dict[str, str], sent: Sent) -> None:
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(params).encode(),
            headers={"X-Twilio-Signature": self.validator.compute_signature(self.url, params)},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                sent.status, sent.body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            sent.status, sent.body = error.code, error.read().decode()
        except OSError as error:
            sent.status, sent.body = -1, str(error)
        sent.seconds = time.monotonic() - sent.at


def stored(stack: Stack, phase: int) -> tuple[list[str], dict[str, list[str]]]:
    """The MessageSids stored in this phase, and the replies recorded to each."""
    with psycopg.connect(stack.database_url) as conn:
        sids = [
            row[0]
            for row in conn.execute(
                "SELECT message_sid FROM followup_inboundmessage WHERE message_sid LIKE %s",
                (f"SM{phase:02x}%",),
            )
        ]
        replies: dict[str, list[str]] = {}
        for sid, body in conn.execute(
            "SELECT i.message_sid, o.body FROM followup_outboundmessage o"
            " JOIN followup_inboundmessage i ON o.in_reply_to_id = i.id"
            " WHERE i.message_sid LIKE %s AND o.status = 'replied'",
            (f"SM{phase:02x}%",),
        ):
            replies.setdefault(sid, []).append(body)
    return sids, replies


def check(stack: Stack, traffic: Traffic, phase: int, down: tuple[float, float]) -> None:
    slow = [s for s in traffic.sent if not (s.status == 200 and s.seconds < TWILIO_LIMIT)]
    assert slow == [], [(s.sid, s.status, round(s.seconds, 1), s.body[:80]) for s in slow[:5]]
    emergencies = [s for s in traffic.sent if s.emergency]
    assert all("911" in s.body for s in emergencies)
    during = [s for s in emergencies if down[0] < s.at and s.at + s.seconds < down[1]]
    assert len(during) > 10
    assert all(OUTAGE_SAFETY_REPLY in s.body for s in during)

    replayed = manage("replay_inbound", env=stack.env)
    sids, replies = stored(stack, phase)
    sent = {s.sid for s in traffic.sent}
    assert set(sids) == sent, f"{len(sent - set(sids))} lost: {replayed.stdout}"
    assert len(sids) == len(set(sids))
    for sid in {s.sid for s in emergencies}:
        assert len(replies.get(sid, [])) == 1, sid
        assert "911" in replies[sid][0]
    print(
        f"phase {phase}: {len(traffic.sent)} posts, {len(sent)} texts, "
        f"slowest answer {max(s.seconds for s in traffic.sent):.1f} s; {replayed.stdout.strip()}"
    )


def test_texts_sent_while_the_database_is_stopped_are_answered_and_stored_once(stack):
    database = stack.database
    with Traffic(stack, phase=1) as traffic:
        time.sleep(3)
        database.stop()
        stopped = time.monotonic()
        time.sleep(10)
        still_down = manage("replay_inbound", env=stack.env, check=False)
        time.sleep(20)
        started = time.monotonic()
        database.start()
        time.sleep(5)
    assert still_down.returncode != 0
    assert "The database is still unavailable" in still_down.stderr
    assert "Traceback" not in still_down.stderr
    check(stack, traffic, phase=1, down=(stopped, started))


def test_texts_sent_while_the_database_is_frozen_are_answered_within_15_s(stack):
    database = stack.database
    with Traffic(stack, phase=2) as traffic:
        time.sleep(3)
        database.pause()
        paused = time.monotonic()
        try:
            time.sleep(20)
        finally:
            resumed = time.monotonic()
            database.resume()
        time.sleep(5)
    check(stack, traffic, phase=2, down=(paused, resumed))
