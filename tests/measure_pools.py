"""Nurses watching the dashboard while texts arrive, on one web pool and on two: `python -m
tests.measure_pools`.

Three gunicorns from this checkout: one pool serving everything (WEB_CONCURRENCY workers, as
before the split), and a webhooks pool (WEB_POOL=webhooks) beside a staff pool of as many
workers each, as deploy/ runs them. wrk posts signed texts (tests/bench_webhook.py's requests)
while nurses, signed in, poll the dashboard's rows every --poll seconds; rounds alternate between
the one pool, the two pools, and the one pool with no nurse watching (the floor), and print
wrk's webhook p99 and the nurses' slowest poll. DATABASE_URL names a database of its own.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests import bench_webhook
from tests.bench_webhook import LUA, ROOT, SMS

MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def start(port: int, workers: int, pool: str) -> subprocess.Popen[bytes]:
    env = bench_webhook.environment(port)
    env.update(WEB_CONCURRENCY=str(workers), WEB_POOL=pool)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "followup.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def sign_in_nurses(count: int) -> list[str]:
    """Session cookies of nurses on the benchmark clinic's care team."""
    from django.test import Client

    from followup.models import CareTeam, User

    team = CareTeam.objects.get(name="Bench clinic")
    cookies = []
    for n in range(count):
        nurse, _ = User.objects.get_or_create(
            username=f"bench-nurse-{n}", defaults={"role": User.Role.NURSE}
        )
        team.members.add(nurse)
        client = Client()
        client.force_login(nurse)
        cookies.append(client.cookies["sessionid"].value)
    return cookies


def watch(port: int, cookie: str, every: float, stop: threading.Event, seen: list[float]) -> None:
    """One nurse's dashboard: a poll of its rows every `every` seconds, each one timed."""
    while not stop.is_set():
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/rows/", headers={
            "Cookie": f"sessionid={cookie}", "Host": "localhost", "Accept-Encoding": "gzip",
        })  # fmt: skip
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"a nurse's poll answered {response.status}")
        took = time.perf_counter() - started
        seen.append(took * 1000)
        stop.wait(max(0.0, every - took))


def webhook_p99(port: int, script: Path, requests: Path, args: argparse.Namespace) -> float:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "-s",
         str(script), f"http://127.0.0.1:{port}{SMS}", "--", str(requests), "2"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", result.stdout, re.MULTILINE)
    if match is None or "Non-2xx" in result.stdout:
        raise SystemExit(f"wrk said:\n{result.stdout}{result.stderr}")
    return float(match[1]) * MS[match[2]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="each round (10)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="per pool (2)")
    parser.add_argument("--nurses", type=int, default=2)
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between polls (2)")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--escalations", type=int, default=200, help="open, paged (200)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's, for the texts (4)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of the measurement's own")
    one, webhooks, staff = (bench_webhook.free_port() for _ in range(3))
    os.environ.update(bench_webhook.environment(one))
    phones = bench_webhook.seed(args.patients, args.escalations)
    cookies = sign_in_nurses(args.nurses)
    servers = [
        start(one, args.workers, ""),
        start(webhooks, args.workers, "webhooks"),
        start(staff, args.workers, "staff"),
    ]
    # Where texts go and where nurses poll, for each setup; None: nobody watching.
    setups = {
        "one pool": (one, one),
        "two pools": (webhooks, staff),
        "one pool, unwatched": (one, None),
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in setups}
    try:
        for port in (one, webhooks, staff):
            bench_webhook.wait_up(port)
        with tempfile.TemporaryDirectory() as tmp:
            script, requests = Path(tmp) / "post.lua", Path(tmp) / "requests.tsv"
            script.write_text(LUA)
            for _ in range(args.rounds):
                for name, (texts, polls) in setups.items():
                    # Fresh MessageSids each round: a retried text would be measured else.
                    bench_webhook.write_requests(requests, phones, 2000 * args.seconds)
                    stop, seen = threading.Event(), []
                    nurses = [
                        threading.Thread(target=watch, args=(polls, c, args.poll, stop, seen))
                        for c in (cookies if polls else [])
                    ]
                    for nurse in nurses:
                        nurse.start()
                    p99 = webhook_p99(texts, script, requests, args)
                    stop.set()
                    for nurse in nurses:
                        nurse.join()
                    results[name].append((p99, max(seen, default=0.0)))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"{args.nurses} nurses polling every {args.poll:g} s, {args.escalations} open escalations,"
    )
    print(f"texts on {args.connections} connections, {args.workers} sync workers a pool")
    for name, rows in results.items():
        p99s = [p for p, _ in rows]
        polls = [slowest for _, slowest in rows]
        line = f"{name:20} webhook p99 {min(p99s):7.0f} - {max(p99s):7.0f} ms"
        if max(polls):
            line += f"   slowest poll {min(polls):6.0f} - {max(polls):6.0f} ms"
        print(line + f"   (median p99 {statistics.median(p99s):.0f} ms)")


if __name__ == "__main__":
    main()
