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


def test_between_measures_their_databases_are_dropped_and_the_run_goes_on():
    server = os.environ["DATABASE_URL"]
    before = names(server)
    dbs = Databases(server)
    dbs.create("first")
    dbs.settle()
    assert names(server) == before
    # The next measure gets a fresh database of its own, dropped at the end as before.
    dbs.create("next")
    assert names(server) - before == {f"followup_bench_{os.getpid()}_next"}
    dbs.drop_all()
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


DISPATCH_OUT = """\
10,000 due check-ins, 2 workers each way, pace lifted
batch: 0.14 statements and 0.03 commits per check-in (200 check-ins)
one at a time: 17.02 statements and 4.00 commits per check-in (200 check-ins)
round 1 dispatch: 10,000 check-ins in 19.2 s, 520 check-ins/s
round 1 floor: 10,000 check-ins in 90.1 s, 111 check-ins/s
dispatch check-ins/s: 480 - 520
floor check-ins/s: 105 - 111
ratio (same round): 4.32 - 4.68
page after its step fell due: 16.2 s (sent while dispatch ran: no)
"""


def test_the_dispatch_bench_is_read_as_rate_page_and_cost_rows_each_against_its_target():
    from tests.bench_all import dispatch_rows

    rate, page, cost = dispatch_rows(DISPATCH_OUT)
    assert (rate.result, rate.floor, rate.ratio, rate.met) == (
        "480-520",
        "claim-insert-mark loop 105-111",
        "4.32-4.68",
        True,
    )
    # Late, and after the dispatch was over: it proves nothing about pages during dispatch.
    assert (page.result, page.met) == ("16.2 s after falling due (after)", False)
    assert (cost.result, cost.floor, cost.met) == (
        "0.14 / 0.03",
        "one at a time 17.02 / 4.00",
        None,
    )
    assert not dispatch_rows(DISPATCH_OUT.replace("480 - 520", "480 - 499"))[0].met


TRIAGE_REPLIES_OUT = """\
20,000 replies, 3 rounds, start-up taken off
triage_replies lines/s (CPU): 4,812 - 5,120
triage_replies lines/s (wall): 4,790 - 5,101
JSON in and out alone lines/s (CPU): 165,508 - 183,125
ratio (same round): 0.028 - 0.031
"""


def test_the_triage_replies_bench_is_read_in_cpu_time_against_json_alone():
    from tests.bench_all import triage_replies_rows

    (row,) = triage_replies_rows(TRIAGE_REPLIES_OUT)
    assert (row.result, row.floor, row.ratio, row.target, row.met) == (
        "4,812-5,120",
        "JSON in and out alone 165,508-183,125",
        "0.028-0.031",
        ">= 5,000",
        True,
    )
    assert not triage_replies_rows(TRIAGE_REPLIES_OUT.replace("- 5,120", "- 4,999"))[0].met
    with pytest.raises(BenchFailed, match="no longer says"):
        triage_replies_rows(TRIAGE_REPLIES_OUT.replace("(CPU)", "(cpu)"))
