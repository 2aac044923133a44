"""Dispatch at carrier speed: due check-ins sent by two workers with the pace lifted, against a
plain claim-insert-mark loop in the same database, and an escalation page sent meanwhile.

    DATABASE_URL=postgres://.../followup_bench_dispatch .venv/bin/python -m tests.bench_dispatch

Migrates the database it is given (use a scratch one: it adds rows) and seeds 10,000 due
check-ins (`--checkins`). Each round times two worker processes running the dispatch pass
(`dispatch_due`, as a qcluster's tasks would) on all of them, and two running the floor: per
check-in one UPDATE that claims it, one INSERT of its message and one UPDATE that marks it,
each its own commit. Rounds alternate which goes first; both start from the same state, the
fake gateway answers for Twilio, and workers are timed from a common start, their start-up
left out. During the first dispatch, `manage.py run_pages` (the pages worker) has an
escalation's ladder step fall due, and the time until its page reaches the fake Twilio is
printed. Before the rounds, one batch of 200 and 200 sent one at a time (the path before
batches) are counted: statements and commits (transactions that wrote) per check-in.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
# What production runs with: no query log in memory, the fake Twilio, no pacing to speak of.
WORKER_ENV = {
    "DEBUG": "0",
    "TWILIO_GATEWAY": "fake",
    "TWILIO_SEGMENTS_PER_SECOND": "1000000",
    "TWILIO_WEBHOOK_BASE_URL": "",
    "TWILIO_FAKE_OUTBOX": "",
}
os.environ.update(WORKER_ENV)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from followup import dispatch  # noqa: E402
from followup.gateway import Gateway  # noqa: E402
from followup.health import Pass  # noqa: E402
from followup.models import (  # noqa: E402
    CareTeam,
    CheckIn,
    Enrollment,
    Escalation,
    OutboundMessage,
    Patient,
    Protocol,
    SenderPace,
    Severity,
    Surgery,
    User,
    WorkerPass,
)

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
COUNTED = 200
# Seconds into the first dispatch: early enough that, on a machine that sends 10,000 check-ins
# in 3 s, the page still falls due while they are being sent.
PAGE_DUE_AFTER = 0.5


def seed(count: int) -> list[int]:
    """`count` patients, each with one check-in due a minute ago; their ids, oldest first."""
    team = CareTeam.objects.create(name="Bench", clinic_phone="+13125550100")
    surgeon = User.objects.create(username="bench-surgeon", role=User.Role.SURGEON)
    step = Protocol.objects.get().steps.filter(numbered=False).order_by("postop_day").first()
    assert step is not None
    patients = Patient.objects.bulk_create(
        (
            Patient(
                first_name="Ana",
                last_name=f"Bench{i}",
                date_of_birth=dt.date(1961, 4, 2),
                mrn=f"B{i}",
                phone=f"+1630{i:07d}",
                care_team=team,
                consented_at=timezone.now(),
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    surgeries = Surgery.objects.bulk_create(
        (
            Surgery(
                patient=p,
                procedure="tlif",
                levels="L4-L5",
                approach="posterior",
                date=timezone.localdate(),
                surgeon=surgeon,
            )
            for p in patients
        ),
        batch_size=5000,
    )
    enrollments = Enrollment.objects.bulk_create(
        (Enrollment(patient=s.patient, surgery=s, protocol=step.protocol) for s in surgeries),
        batch_size=5000,
    )
    due = timezone.now() - dt.timedelta(minutes=1)
    checkins = CheckIn.objects.bulk_create(
        (
            CheckIn(
                enrollment=e,
                step=step,
                due_at=due + dt.timedelta(microseconds=i),
                questions=step.questions,
            )
            for i, e in enumerate(enrollments)
        ),
        batch_size=5000,
    )
    return [c.pk for c in checkins]


def reset(ids: list[int]) -> None:
    """Every seeded check-in due again, as if never sent."""
    with transaction.atomic():
        OutboundMessage.objects.filter(checkin__in=ids).delete()
        CheckIn.objects.filter(pk__in=ids).update(
            status=CheckIn.Status.PENDING, sent_at=None, prompted_at=None
        )
        SenderPace.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE followup_checkin, followup_outboundmessage")


class Commits:
    """Counts transactions that wrote: each write outside a transaction, each commit of one."""

    def __init__(self) -> None:
        self.count = 0
        self.pending = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        if sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "WITH"):
            if not connection.in_atomic_block:
                self.count += 1
            elif not self.pending:
                self.pending = True
                transaction.on_commit(self.committed)
        return result

    def committed(self) -> None:
        self.count += 1
        self.pending = False


def counted(send: Callable[[], int]) -> tuple[float, float]:
    """Statements and commits per check-in for what `send` sends."""
    commits = Commits()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(commits):
        sent = send()
    assert sent == COUNTED, f"sent {sent} of {COUNTED}"
    # Django lists a transaction's BEGIN and COMMIT among the queries: commits are counted apart.
    statements = [q for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    return len(statements) / sent, commits.count / sent


def batch(now: dt.datetime, gateway: Gateway, deadline: float, skip: set[int]) -> int:
    run = Pass("bench")
    claimed = dispatch.claim_batch(now, run, deadline, set(skip))
    dispatch.send_batch(claimed, gateway, run, deadline)
    return len(claimed.claimed.messages)


def count_statements(ids: list[int]) -> None:
    gateway = dispatch.get_gateway()
    now = timezone.now()
    deadline = time.monotonic() + 60
    skip = set(ids[COUNTED:])  # each way sends the first 200 only
    # Left "sending" with no answer recorded, a text would be looked up: none is, here.
    with_batch = counted(lambda: batch(now, gateway, deadline, skip))
    reset(ids)
    one_by_one = counted(
        lambda: dispatch._dispatch_one_by_one(now, gateway, Pass("bench"), deadline, set(skip))
    )
    reset(ids)
    for name, (statements, commits) in (("batch", with_batch), ("one at a time", one_by_one)):
        print(
            f"{name}: {statements:.2f} statements and {commits:.2f} commits per check-in "
            f"({COUNTED} check-ins)"
        )


def start_workers(kind: str, folder: Path) -> list[subprocess.Popen[str]]:
    workers = []
    for i in range(WORKERS):
        log = (folder / f"{kind}{i}.log").open("a")
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.bench_dispatch", "--worker", kind],
                cwd=ROOT,
                env={**os.environ, **WORKER_ENV},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        )
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    return workers


def run_workers(kind: str, folder: Path, on_start: Callable[[], None] | None = None) -> float:
    """Seconds until two `kind` workers have sent every due check-in."""
    workers = start_workers(kind, folder)
    started = time.monotonic()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.close()
    if on_start is not None:
        on_start()
    for worker in workers:
        if worker.wait(timeout=600) != 0:
            raise SystemExit(f"a {kind} worker failed: see {folder}")
    return time.monotonic() - started


def check_sent_once(ids: list[int]) -> None:
    questions = OutboundMessage.objects.filter(checkin__in=ids)
    assert questions.count() == len(ids), f"{questions.count()} messages for {len(ids)}"
    assert questions.values("checkin").distinct().count() == len(ids)
    awaiting = CheckIn.objects.filter(pk__in=ids, status=CheckIn.Status.AWAITING).count()
    assert awaiting == len(ids), f"{awaiting} of {len(ids)} awaiting"


def page_ladder() -> tuple[Escalation, User]:
    on_call = User.objects.create(username="bench-on-call", phone="+13125550801")
    team = CareTeam.objects.create(
        name="Bench paging", clinic_phone="+13125550100", on_call=on_call, ack_timeout_minutes=0
    )
    patient = Patient.objects.create(
        first_name="Pia",
        last_name="Paged",
        date_of_birth=dt.date(1961, 4, 2),
        mrn="PAGED",
        phone="+17735550999",
        care_team=team,
    )
    escalation = Escalation.objects.create(
        patient=patient, severity=Severity.EMERGENCY, findings=["bladder"], opened_at=timezone.now()
    )
    return escalation, on_call


def start_pages(folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **WORKER_ENV, "TWILIO_FAKE_OUTBOX": str(folder / "pages.jsonl")}
    env["Q_WORKERS"] = "1"
    pages = subprocess.Popen(
        [sys.executable, "manage.py", "run_pages"],
        cwd=ROOT,
        env=env,
        stdout=(folder / "pages.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not WorkerPass.objects.filter(name="paging", finished_at__isnull=False).exists():
        if time.monotonic() > deadline or pages.poll() is not None:
            raise SystemExit(f"run_pages did not start: see {folder}/pages.log")
        time.sleep(0.5)
    return pages


def page_falls_due(escalation: Escalation, falls_due: list[dt.datetime]) -> Callable[[], None]:
    def make_due() -> None:
        # The ladder's next step falls due just after the dispatch has started.
        falls_due.append(timezone.now() + dt.timedelta(seconds=PAGE_DUE_AFTER))
        Escalation.objects.filter(pk=escalation.pk).update(page_level=0, next_page_at=falls_due[0])

    return make_due


def page_sent(folder: Path, to: str) -> dt.datetime | None:
    path = folder / "pages.jsonl"
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record["to"] == to:
            return dt.datetime.fromisoformat(record["at"])
    return None


def main(count: int, rounds: int) -> None:
    call_command("migrate", verbosity=0)
    ids = seed(count)
    print(f"{count:,} due check-ins, {WORKERS} workers each way, pace lifted")
    count_statements(ids)
    escalation, on_call = page_ladder()
    rates: dict[str, list[float]] = {"dispatch": [], "floor": []}
    page = ""
    with tempfile.TemporaryDirectory(prefix="bench-dispatch-") as tmp:
        folder = Path(tmp)
        pages = start_pages(folder)
        try:
            for r in range(rounds):
                for kind in ("dispatch", "floor") if r % 2 == 0 else ("floor", "dispatch"):
                    falls_due: list[dt.datetime] = []
                    paging = kind == "dispatch" and not page
                    reset(ids)
                    seconds = run_workers(
                        kind, folder, page_falls_due(escalation, falls_due) if paging else None
                    )
                    ended = timezone.now()
                    check_sent_once(ids)
                    rates[kind].append(count / seconds)
                    print(
                        f"round {r + 1} {kind}: {count:,} check-ins in {seconds:.1f} s, "
                        f"{count / seconds:.0f} check-ins/s",
                        flush=True,
                    )
                    if paging:
                        deadline = time.monotonic() + 30
                        while (sent := page_sent(folder, on_call.phone)) is None:
                            if time.monotonic() > deadline:
                                raise SystemExit(f"no page within 30 s: see {folder}")
                            time.sleep(0.5)
                        during = "yes" if sent < ended else "no"
                        latency = (sent - falls_due[0]).total_seconds()
                        page = (
                            f"page after its step fell due: {latency:.1f} s "
                            f"(sent while dispatch ran: {during})"
                        )
        finally:
            pages.terminate()
            pages.wait(timeout=30)
    pairs = list(zip(rates["dispatch"], rates["floor"], strict=True))
    print(f"dispatch check-ins/s: {min(rates['dispatch']):.0f} - {max(rates['dispatch']):.0f}")
    print(f"floor check-ins/s: {min(rates['floor']):.0f} - {max(rates['floor']):.0f}")
    ratios = [d / f for d, f in pairs]
    print(f"ratio (same round): {min(ratios):.2f} - {max(ratios):.2f}")
    print(page)


def worker(kind: str) -> None:
    connection.ensure_connection()
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    if kind == "dispatch":
        while dispatch.dispatch_due():
            pass
    else:
        floor()


# The floor: the least a claim, a write and a mark can cost, one commit each, one at a time.
FLOOR_CLAIM = """
UPDATE followup_checkin AS checkin SET status = 'sending'
FROM followup_enrollment AS enrollment JOIN followup_patient AS patient
    ON patient.id = enrollment.patient_id
WHERE enrollment.id = checkin.enrollment_id AND checkin.id = (
    SELECT id FROM followup_checkin WHERE status = 'pending' AND due_at <= now()
    ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
)
RETURNING checkin.id, patient.id, patient.phone
"""
FLOOR_INSERT = """
INSERT INTO followup_outboundmessage (patient_id, "to", body, kind, checkin_id, question,
    channel, status, error_message, attempts, created_at, call_outcome)
VALUES (%s, %s, 'Hi, this is your check-in. How are you feeling today?', 'question', %s,
    'general', 'sms', 'accepted', '', 1, now(), '')
"""
FLOOR_MARK = "UPDATE followup_checkin SET status = 'awaiting', sent_at = now() WHERE id = %s"


def floor() -> None:
    with connection.cursor() as cursor:
        while True:
            cursor.execute(FLOOR_CLAIM)
            row = cursor.fetchone()
            if row is None:
                return
            checkin_id, patient_id, phone = row
            cursor.execute(FLOOR_INSERT, [patient_id, phone, checkin_id])
            cursor.execute(FLOOR_MARK, [checkin_id])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--worker", choices=["dispatch", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
    else:
        main(args.checkins, args.rounds)
