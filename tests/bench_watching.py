"""The SMS webhook while two nurses watch a dashboard of 1,000 open escalations:
`python -m tests.bench_watching`.

gunicorn as production runs it (deploy/gunicorn.conf.py, two sync workers) with the fake
gateway; wrk posts signed texts from patients answering a check-in to /twilio/sms/
(tests/bench_webhook.py's clinic, requests and script) while two signed-in nurses poll /rows/
every 2 s with the ETag they were last sent, as the page does: on a second gunicorn of their own
(staff pages and webhooks in separate pools, as deploy/ sets it up), or on the same gunicorn (one
pool serving both, as a single process without WEB_POOL does). Rounds of each kind alternate
with rounds nobody watches, the floor of the same run; webhook latency percentiles come from wrk,
the nurses' own from here.

DATABASE_URL names a PostgreSQL database of its own (migrated and filled here, never emptied).
"""

import argparse
import contextlib
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests import bench_webhook

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 2.0
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# Rounds of each kind alternate: nobody watching (the floor), the nurses on the webhooks' own
# gunicorn (one pool for everything), and the nurses on a second gunicorn of their own (staff
# pages and webhooks in separate pools, as deploy/ runs them).
KINDS = {
    "alone": "alone",
    "shared": "watched, one pool",
    "own": "watched, staff pool apart",
}


@dataclass
class Watcher:
    """One nurse's browser tab: polls the rows with its last ETag, as templates/dashboard.html
    does, and notes how each poll went."""

    port: int
    cookie: str
    etag: str = ""
    times: dict[int, list[float]] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def poll(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie, "X-Auto-Refresh": "1", "Accept-Encoding": "gzip"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        started = time.perf_counter()
        conn.request("GET", "/rows/", headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if response.status not in (200, 304):
            raise SystemExit(f"/rows/ answered {response.status}: is the nurse signed in?")
        self.etag = response.getheader("ETag") or self.etag
        self.times.setdefault(response.status, []).append(elapsed)

    def run(self) -> None:
        while not self.stop.is_set():
            self.poll()
            self.stop.wait(POLL_SECONDS)


def seed_dashboard(escalations: int) -> list[str]:
    """Two nurses of a team with `escalations` open (every tenth an emergency), each signed in
    with the second step: their session cookies."""
    from django.conf import settings

    from followup.models import User
    from tests import measure_dashboard

    # Phones of another area than the texting patients': a shared number would make every
    # text an ambiguous sender's, which every team's dashboard shows.
    nurse = measure_dashboard.seed(escalations, 10, 0, area=872)
    colleague = User.objects.create(username=f"{nurse.username}b", role=User.Role.NURSE)
    colleague.care_teams.set(nurse.care_teams.all())
    cookies = []
    for user in (nurse, colleague):
        client = measure_dashboard.signed_in(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def run_wrk(port: int, script: Path, requests: Path, args: argparse.Namespace) -> dict[str, float]:
    """Requests a second and latency percentiles (ms) of one wrk round on the webhook."""
    threads = str(args.threads)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
         "-s", str(script), f"http://127.0.0.1:{port}{bench_webhook.SMS}", "--",
         str(requests), threads],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if rate is None or errors:
        raise SystemExit(f"wrk said:\n{out}{result.stderr}")
    found = {"rate": float(rate.group(1))}
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if match is None:
            raise SystemExit(f"wrk printed no {percentile}th percentile:\n{out}")
        found[f"p{percentile}"] = float(match.group(1)) * UNITS[match.group(2)]
    return found


def span(values: list[float]) -> str:
    return f"{min(values):7.1f} - {max(values):7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="each round (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind (3)")
    parser.add_argument("--escalations", type=int, default=1000, help="open, watched (1,000)")
    parser.add_argument("--threads", type=int, default=2)
    # One text in flight per worker: the latency a text sees, not a queue wrk builds.
    parser.add_argument("--connections", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of the benchmark's own")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    port = bench_webhook.free_port()
    os.environ.update(bench_webhook.environment(port))
    sys.path.insert(0, str(ROOT))
    phones = bench_webhook.seed(300, 200)
    cookies = seed_dashboard(args.escalations)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: plans for the real row counts.
        cursor.execute("ANALYZE")
    connection.close()
    webhook_port, staff_port = port, bench_webhook.free_port()
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        script, requests = Path(tmp) / "post.lua", Path(tmp) / "requests.tsv"
        script.write_text(bench_webhook.LUA)
        servers = [start(webhook_port), start(staff_port)]
        try:
            bench_webhook.wait_up(webhook_port)
            bench_webhook.wait_up(staff_port)
            nurses = {
                kind: [Watcher(where, cookie) for cookie in cookies]
                for kind, where in (("shared", webhook_port), ("own", staff_port))
            }
            for watchers in nurses.values():
                for watcher in watchers:
                    # The page is opened first: its rows were sent, polls carry its ETag.
                    watcher.poll()
            for _ in range(args.rounds):
                for kind in KINDS:
                    # Fresh MessageSids for each round: a retry would be measured else.
                    bench_webhook.write_requests(requests, phones, 2000 * args.seconds)
                    with watching(nurses.get(kind, [])):
                        results[kind].append(run_wrk(webhook_port, script, requests, args))
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    print(
        f"{args.escalations} open escalations watched by {len(cookies)} nurses, "
        f"{args.rounds} rounds of {args.seconds} s each kind, {args.connections} texts in flight"
    )
    for kind, label in KINDS.items():
        print(f"webhook {label:24} p50 ms: {span([r['p50'] for r in results[kind]])}")
        print(f"webhook {label:24} p99 ms: {span([r['p99'] for r in results[kind]])}")
        print(f"webhook {label:24} req/s:  {span([r['rate'] for r in results[kind]])}")
    for kind, watchers in nurses.items():
        polls: dict[int, list[float]] = {}
        for watcher in watchers:
            for status, times in watcher.times.items():
                polls.setdefault(status, []).extend(times)
        for status, times in sorted(polls.items()):
            median = statistics.median(times)
            print(
                f"nurses' polls, {KINDS[kind]:24} answered {status}: {len(times):4}, "
                f"median {median:6.1f} ms, max {max(times):6.1f} ms"
            )


def start(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "followup.wsgi"],
        cwd=ROOT, env=bench_webhook.environment(port),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@contextlib.contextmanager
def watching(watchers: list[Watcher]) -> Iterator[None]:
    threads = []
    for watcher in watchers:
        watcher.stop.clear()
        threads.append(threading.Thread(target=watcher.run, daemon=True))
        threads[-1].start()
        # Out of step, as two nurses' tabs are.
        time.sleep(POLL_SECONDS / len(watchers))
    try:
        yield
    finally:
        for watcher, thread in zip(watchers, threads, strict=True):
            watcher.stop.set()
            thread.join()


if __name__ == "__main__":
    main()
