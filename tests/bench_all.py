"""Every benchmark in one run, each a ratio to a floor measured in the same run: `make bench`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything .venv/bin/python -m tests.bench_all

DATABASE_URL names only the PostgreSQL server (tests/with-postgres gives one): each measure
that needs a database gets a fresh one of its own on it, followup_bench_<pid>_<name>, dropped
at the end, so no test database nor another run's is touched. Runs the existing benchmarks
(triage.bench, tests.bench_triage_replies, tests.bench_webhook, tests.measure_dashboard,
tests.measure_patients and the rest of BENCHES) as they are, reads what they print and prints
one table. A benchmark that fails or a missing tool stops with a message and a non-zero exit; a
missed target is reported in the table.
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


class BenchFailed(Exception):
    pass


@dataclass
class Row:
    measure: str
    result: str
    floor: str
    ratio: str
    target: str
    met: bool | None  # None: no target to meet


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit(
            "set DATABASE_URL to a PostgreSQL server (tests/with-postgres does): "
            "the benchmarks create databases of their own on it"
        )
    try:
        psycopg.connect(url, dbname="postgres", connect_timeout=5).close()
    except psycopg.Error as exc:
        raise SystemExit(f"PostgreSQL does not answer at DATABASE_URL: {exc}") from None
    return url


def with_database(url: str, name: str) -> str:
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0]
    query = ("?" + rest.split("?", 1)[1]) if "?" in rest else ""
    return f"{scheme}://{host}/{name}{query}"


class Databases:
    """Fresh databases named for this run, every one dropped at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.made: list[str] = []

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url, dbname="postgres", autocommit=True)

    def create(self, name: str) -> str:
        db = f"followup_bench_{os.getpid()}_{name}"
        with self.admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
        self.made.append(db)
        return with_database(self.url, db)

    def settle(self) -> None:
        """Before the next measure: this one's databases dropped (no autovacuum left working on
        them) and the server's dirty pages written out (a checkpoint), so one measure's writes
        do not slow the next. Measured: the dashboard's 304 took 10.8 ms in a full run right
        after the webhook and dispatch runs, 5.4 ms run alone a minute later."""
        self.drop_all()
        # Not a superuser (nor pg_checkpoint): the next measure just starts.
        with self.admin() as conn, contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute("CHECKPOINT")

    def drop_all(self) -> None:
        with self.admin() as conn:
            for db in self.made:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
                )
        self.made.clear()


def run(name: str, argv: list[str], database: str | None = None) -> str:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    print(f"-- {name}: python {' '.join(argv)}", flush=True)
    result = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise BenchFailed(f"{name} failed (exit {result.returncode}):\n{tail}")
    print(result.stdout.rstrip(), flush=True)
    return result.stdout


def found(pattern: str, text: str, name: str) -> re.Match[str]:
    match = re.search(pattern, text, re.MULTILINE)
    if match is None:
        raise BenchFailed(f"{name}: its output no longer says {pattern!r}:\n{text}")
    return match


def number(text: str) -> float:
    return float(text.replace(",", ""))


def triage(_: Databases, args: argparse.Namespace) -> list[Row]:
    out = run("triage", ["-m", "triage.bench"])
    rate = number(found(r"([\d,.]+) replies/s", out, "triage").group(1))
    return [
        Row("triage, replies/s on one core", f"{rate:,.0f}", "-", "-", ">= 10,000", rate >= 10_000)
    ]


def triage_replies(_: Databases, args: argparse.Namespace) -> list[Row]:
    return triage_replies_rows(run("triage_replies", ["-m", "tests.bench_triage_replies"]))


def triage_replies_rows(out: str) -> list[Row]:
    name = "triage_replies"
    cpu = found(r"^triage_replies lines/s \(CPU\): ([\d,]+) - ([\d,]+)", out, name)
    floor = found(r"^JSON in and out alone lines/s \(CPU\): ([\d,]+) - ([\d,]+)", out, name)
    ratio = found(r"^ratio \(same round\): ([\d.]+) - ([\d.]+)", out, name)
    return [
        Row(
            "triage_replies end to end, lines/s in CPU time, start-up off",
            f"{cpu.group(1)}-{cpu.group(2)}",
            f"JSON in and out alone {floor.group(1)}-{floor.group(2)}",
            f"{ratio.group(1)}-{ratio.group(2)}",
            ">= 5,000",
            number(cpu.group(2)) >= 5_000,
        )
    ]


def webhook(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    argv = [
        "-m",
        "tests.bench_webhook",
        "--seconds",
        str(args.seconds),
        "--rounds",
        str(args.rounds),
    ]
    out = run("webhook", argv, dbs.create("webhook"))
    bare = found(r"bare view\s+req/s:\s+(\d+) -\s+(\d+)", out, "webhook")
    hook = found(r"sms webhook req/s:\s+(\d+) -\s+(\d+)", out, "webhook")
    ratio = found(r"ratio \(same round\): ([\d.]+) - ([\d.]+)", out, "webhook")
    return [
        Row(
            "SMS webhook, req/s (gunicorn, 2 sync workers)",
            f"{hook.group(1)}-{hook.group(2)}",
            f"bare view {bare.group(1)}-{bare.group(2)}",
            f"{ratio.group(1)}-{ratio.group(2)}",
            ">= 0.5",
            float(ratio.group(2)) >= 0.5,
        )
    ]


def visible(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    out = run("visible", ["-m", "tests.bench_visible"], dbs.create("visible"))
    seen = found(r"reply to visible\s+p50\s+([\d.]+) s\s+p99\s+([\d.]+) s", out, "visible")
    opened = found(r"escalation opened \(worker\)\s+p50\s+([\d.]+) s", out, "visible")
    p99 = float(seen.group(2))
    return [
        Row(
            "reply to visible, red flag to a dashboard polled every 2 s (p50 / p99)",
            f"{seen.group(1)} s / {p99:.2f} s",
            f"poll 1.00 s mean, 2.00 s worst; escalation opened p50 {opened.group(1)} s",
            "-",
            "p99 < 3 s",
            p99 < 3,
        )
    ]


PAGE = r"^{}\s+([\d.]+) ms\s+(\d+) queries"


def timings(out: str, name: str, labels: tuple[str, ...]) -> dict[str, tuple[float, int]]:
    times = {}
    for label in labels:
        match = found(PAGE.format(re.escape(label)), out, name)
        times[label] = (float(match.group(1)), int(match.group(2)))
    return times


def compare(
    measure: str,
    at: tuple[float, int],
    floor: tuple[float, int],
    floor_label: str,
    target: str = "-",
    meets: Callable[[float, int, int], bool] | None = None,
) -> Row:
    (ms, queries), (floor_ms, floor_queries) = at, floor
    return Row(
        measure,
        f"{ms:.1f} ms, {queries} queries",
        f"{floor_ms:.1f} ms, {floor_queries} queries ({floor_label})",
        f"{ms / floor_ms:.1f}" if floor_ms else "-",
        target,
        None if meets is None else meets(ms, queries, floor_queries),
    )


def dashboard(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    labels = ("page", "refresh, changed", "refresh, no card kept", "refresh, unchanged")
    name = f"dashboard ({args.escalations:,} open)"
    at = timings(
        run(
            name, ["-m", "tests.measure_dashboard", str(args.escalations), "10"], dbs.create("dash")
        ),
        name,
        labels,
    )
    floor = timings(
        run(
            "dashboard (none open)",
            ["-m", "tests.measure_dashboard", "0", "10"],
            dbs.create("dash0"),
        ),
        "dashboard (none open)",
        labels,
    )
    where = f"at {args.escalations:,} open escalations"
    return [
        compare(f"dashboard page {where}", at["page"], floor["page"], "none open"),
        compare(
            f"dashboard poll, one card changed, {where}",
            at["refresh, changed"],
            floor["refresh, changed"],
            "none open",
            "< 50 ms",
            lambda ms, q, fq: ms < 50,
        ),
        compare(
            f"dashboard poll, no card kept (a process's first), {where}",
            at["refresh, no card kept"],
            floor["refresh, no card kept"],
            "none open",
        ),
        compare(
            f"dashboard poll, unchanged (304), {where}",
            at["refresh, unchanged"],
            floor["refresh, unchanged"],
            "none open",
            "< 5 ms",
            lambda ms, q, fq: ms < 5,
        ),
    ]


def patients(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    labels = ("patient list", "patient page")
    name = f"patients ({args.patients:,})"
    at = timings(
        run(
            name,
            ["-m", "tests.measure_patients", str(args.patients), str(args.escalations)],
            dbs.create("patients"),
        ),
        name,
        labels,
    )
    floor = timings(
        run("patients (10)", ["-m", "tests.measure_patients", "10", "0"], dbs.create("patients10")),
        "patients (10)",
        labels,
    )
    where = f"at {args.patients:,} patients, {args.escalations:,} open"
    return [
        compare(
            f"{label} {where}",
            at[label],
            floor[label],
            "10 patients",
            "queries constant",
            lambda ms, q, fq: q == fq,
        )
        for label in labels
    ]


def dispatch(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    return dispatch_rows(run("dispatch", ["-m", "tests.bench_dispatch"], dbs.create("dispatch")))


def dispatch_rows(out: str) -> list[Row]:
    count = found(r"^([\d,]+) due check-ins, (\d+) workers", out, "dispatch")
    rate = found(r"^dispatch check-ins/s: (\d+) - (\d+)", out, "dispatch")
    floor = found(r"^floor check-ins/s: (\d+) - (\d+)", out, "dispatch")
    ratio = found(r"^ratio \(same round\): ([\d.]+) - ([\d.]+)", out, "dispatch")
    page = found(
        r"^page after its step fell due: ([\d.]+) s \(sent while dispatch ran: (\w+)\)",
        out,
        "dispatch",
    )
    batch = found(r"^batch: ([\d.]+) statements and ([\d.]+) commits", out, "dispatch")
    single = found(r"^one at a time: ([\d.]+) statements and ([\d.]+) commits", out, "dispatch")
    latency = float(page.group(1))
    return [
        Row(
            f"{count.group(1)} due check-ins, {count.group(2)} workers, pace lifted: check-ins/s",
            f"{rate.group(1)}-{rate.group(2)}",
            f"claim-insert-mark loop {floor.group(1)}-{floor.group(2)}",
            f"{ratio.group(1)}-{ratio.group(2)}",
            ">= 500",
            number(rate.group(2)) >= 500,
        ),
        Row(
            f"escalation page while {count.group(1)} check-ins are dispatched",
            f"{latency:.1f} s after falling due" + ("" if page.group(2) == "yes" else " (after)"),
            "-",
            "-",
            "< 15 s, during dispatch",
            latency < 15 and page.group(2) == "yes",
        ),
        Row(
            "dispatch, statements / commits per check-in",
            f"{batch.group(1)} / {batch.group(2)}",
            f"one at a time {single.group(1)} / {single.group(2)}",
            f"{float(batch.group(1)) / float(single.group(1)):.3f}",
            "-",
            None,
        ),
    ]


def watching(dbs: Databases, args: argparse.Namespace) -> list[Row]:
    argv = ["-m", "tests.bench_watching", "--escalations", str(args.escalations)]
    out = run("watching", argv, dbs.create("watching"))
    alone = found(r"webhook alone\s+p99 ms:\s+([\d.]+) -\s+([\d.]+)", out, "watching")
    floor = float(alone.group(2))
    rows = []
    # deploy/ runs staff pages on a pool apart: that is the one the target is asked of.
    for label, target in (("staff pool apart", "< 50 ms"), ("one pool", "-")):
        watched = found(
            rf"webhook watched, {label}\s+p99 ms:\s+([\d.]+) -\s+([\d.]+)", out, "watching"
        )
        worst = float(watched.group(2))
        rows.append(
            Row(
                f"SMS webhook p99, 2 nurses watching {args.escalations:,} open, {label}",
                f"{watched.group(1)}-{watched.group(2)} ms",
                f"no one watching {alone.group(1)}-{alone.group(2)} ms",
                f"{worst / floor:.1f}" if floor else "-",
                target,
                worst < 50 if target != "-" else None,
            )
        )
    return rows


BENCHES: dict[str, Callable[[Databases, argparse.Namespace], list[Row]]] = {
    "triage": triage,
    "triage_replies": triage_replies,
    "webhook": webhook,
    "dashboard": dashboard,
    "patients": patients,
    "dispatch": dispatch,
    "watching": watching,
    "visible": visible,
}


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | result | floor, same run | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = "-" if r.met is None else ("yes" if r.met else "NO")
        lines.append(f"| {r.measure} | {r.result} | {r.floor} | {r.ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help=f"some of {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--seconds", type=int, default=8, help="each webhook round (8)")
    parser.add_argument("--rounds", type=int, default=3, help="webhook rounds (3)")
    parser.add_argument("--escalations", type=int, default=1000, help="open (1,000)")
    parser.add_argument("--patients", type=int, default=10_000, help="patients (10,000)")
    args = parser.parse_args()
    chosen = args.only or list(BENCHES)
    unknown = set(chosen) - set(BENCHES)
    if unknown:
        parser.error(f"no benchmark named {', '.join(sorted(unknown))}")
    if "webhook" in chosen and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install Debian's 'wrk' package (make bench does)")
    dbs = Databases(server_url())
    rows: list[Row] = []
    try:
        for name in chosen:
            rows += BENCHES[name](dbs, args)
            dbs.settle()
    except BenchFailed as exc:
        print(table(rows), file=sys.stderr)
        raise SystemExit(str(exc)) from None
    finally:
        dbs.drop_all()
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores")
    print(table(rows))


if __name__ == "__main__":
    main()
