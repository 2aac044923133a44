"""The worker's passes, each item isolated and each run recorded; /healthz reads the record."""

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django_q.models import Schedule

from followup import spool
from followup.models import WorkerPass

log = logging.getLogger(__name__)

# The passes the worker runs every minute (followup/tasks.py); /healthz expects each of them.
PASSES = ("dispatch", "chase", "inbound", "paging")


def describe(exc: BaseException) -> str:
    """An error as staff and monitoring read it: its type and message, kept short."""
    return f"{type(exc).__name__}: {exc}"[:300]


class Pass:
    """One run of a pass: counts what went through and what failed, and why."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ok = 0
        self.failed = 0
        self.last_error = ""

    @contextlib.contextmanager
    def item(
        self, what: str, on_failure: Callable[[Exception], object] | None = None
    ) -> Iterator[None]:
        """Run one item; a failure is counted, logged and handed to `on_failure`, never raised.

        One bad check-in, message or escalation must not stop the rest of the pass.
        """
        try:
            with _isolated():
                yield
        except Exception as exc:
            self.fail(what, exc, on_failure)
        else:
            self.ok += 1

    def done(self, count: int) -> None:
        """Count items that went through in bulk, outside item()."""
        self.ok += count

    def fail(
        self, what: str, exc: Exception, on_failure: Callable[[Exception], object] | None = None
    ) -> None:
        """Count, log and hand on an item's failure caught elsewhere (a batch's)."""
        self.failed += 1
        self.last_error = f"{what}: {describe(exc)}"
        log.error("%s pass: %s failed", self.name, what, exc_info=exc)
        if on_failure is not None:
            try:
                with _isolated():
                    on_failure(exc)
            except Exception:
                log.exception("%s pass: recording the failure of %s failed", self.name, what)

    def summary(self) -> str:
        if not self.failed:
            return ""
        return f"{self.failed} of {self.ok + self.failed} items failed; last: {self.last_error}"


@contextlib.contextmanager
def _isolated() -> Iterator[None]:
    # Inside a caller's transaction (tests), PostgreSQL aborts it all after one error: a savepoint
    # keeps the damage to the item, and undoes all the item wrote. Outside one (the worker), each
    # statement commits at once, and it must stay so: a send's claim is committed before Twilio
    # is called, never rolled back after.
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        yield


@contextlib.contextmanager
def recorded_pass(name: str) -> Iterator[Pass]:
    """Run a pass and record when it started, when it ended and what failed, for /healthz."""
    run = Pass(name)
    # One statement, so two workers starting the same pass at once cannot collide.
    WorkerPass.objects.bulk_create(
        [WorkerPass(name=name, started_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["started_at"],
    )
    try:
        yield run
    except Exception as exc:
        _finish(run, f"the pass stopped: {describe(exc)}")
        raise
    _finish(run, run.summary())


def _finish(run: Pass, error: str) -> None:
    WorkerPass.objects.filter(name=run.name).update(
        finished_at=timezone.now(),
        items_ok=run.ok,
        items_failed=run.failed,
        error=error,
    )


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok", "worker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        schedule = Schedule.objects.filter(name="dispatch").first()
        passes = {p.name: p for p in WorkerPass.objects.filter(name__in=PASSES)}
    except DatabaseError:
        return JsonResponse(
            {"database": "down", "worker": "unknown", "spool": spool.status()}, status=503
        )
    # The cluster's scheduler moves next_run forward each time it queues the dispatch pass.
    stale_before = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    if schedule is None:
        checks["worker"] = "no dispatch schedule (run manage.py ensure_schedules)"
    elif schedule.next_run is None or schedule.next_run < stale_before:
        checks["worker"] = "stale: the dispatch schedule has not run (is qcluster running?)"
    for name in PASSES:
        checks[name] = pass_health(name, passes.get(name), stale_before)
    healthy = all(value == "ok" for value in checks.values())
    waiting = spool.status()
    # Entries left this long mean replay is not running or keeps failing: texts not yet seen.
    healthy = healthy and int(str(waiting["oldest_seconds"])) < settings.SPOOL_STALE_SECONDS
    return JsonResponse({**checks, "spool": waiting}, status=200 if healthy else 503)


def pass_health(name: str, last: WorkerPass | None, stale_before: dt.datetime) -> str:
    """ "ok", or why the pass is unhealthy: it failed last time, or has not finished lately."""
    # A schedule that runs is not enough: a pass that fails every minute sends nothing.
    if last is None or last.finished_at is None or last.finished_at < stale_before:
        return f"no {name} pass has finished in the last {settings.WORKER_STALE_SECONDS} s"
    if last.error:
        return f"the last {name} pass, at {last.finished_at:%H:%M:%S}Z, failed: {last.error}"
    return "ok"
