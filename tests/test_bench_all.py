"""make bench's driver: databases of its own, dropped; a failing or missing tool stops it loudly."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.bench_all import BenchFailed, Databases, run

ROOT = Path(__file__).resolve().parent.parent


def driver(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.bench_all", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def names(url: str) -> set[str]:
    """This process's benchmark databases: another run's may come and go meanwhile."""
    with psycopg.connect(url, dbname="postgres") as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"followup_bench_{os.getpid()}_%"],
        )
        return {row[0] for row in rows}


def test_each_database_is_fresh_named_for_the_run_and_dropped_even_while_in_use():
    server = os.environ["DATABASE_URL"]
    before = names(server)
    dbs = Databases(server)
    url = dbs.create("one")
    dbs.create("two")
    made = names(server) - before
    assert made == {f"followup_bench_{os.getpid()}_one", f"followup_bench_{os.getpid()}_two"}
    # A benchmark's server still connected when the run ends does not keep its database.
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE TABLE t (n int)")
    dbs.drop_all()
    conn.close()
    assert names(server) == before


def test_a_failing_benchmark_is_named_with_its_exit_and_last_words():
    with pytest.raises(
        BenchFailed, match=r"demo failed \(exit 1\):\n(.|\n)*gunicorn did not start"
    ):
        run("demo", ["-c", "print('seeding'); raise SystemExit('gunicorn did not start')"])


def test_missing_wrk_stops_the_run_with_a_reason():
    result = driver("webhook", PATH="/nonexistent")
    assert result.returncode == 1
    assert "wrk is missing: install Debian's 'wrk' package" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_server_and_unknown_benchmarks_are_refused_with_a_reason():
    down = driver("triage", DATABASE_URL="postgres://postgres@127.0.0.1:1/x")
    assert down.returncode == 1 and "PostgreSQL does not answer" in down.stderr
    unknown = driver("triage", "dashbord")
    assert unknown.returncode == 2 and "no benchmark named dashbord" in unknown.stderr
    assert "Traceback" not in down.stderr + unknown.stderr
