"""State read from the database at scrape time: open escalations, queues, the worker's passes.

A handful of indexed queries per scrape, none per request. When the database cannot be reached
the scrape still answers, with `followup_database_up 0` and whatever needs no database.
"""

import logging
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from followup import spool
from followup.conversation import PROCESSING_ATTEMPTS
from followup.health import PASSES
from followup.models import Escalation, InboundMessage, Severity, WorkerPass

log = logging.getLogger(__name__)


class StateCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "followup_database_up", "1 when the scrape could read the database, else 0"
        )
        try:
            metrics = list(_from_database())
        except DatabaseError as exc:
            log.warning("metrics: the database could not be read (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
        else:
            up.add_metric([], 1)
            yield up
            yield from metrics
        yield from _queue()
        yield from _spool()


def _from_database() -> Iterator[Metric]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    now = timezone.now()
    unresolved = Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
    counts = {
        (row["severity"], row["status"]): row["n"]
        for row in unresolved.values("severity", "status").annotate(n=Count("id")).order_by()
    }
    open_ = GaugeMetricFamily(
        "followup_open_escalations",
        "Unresolved escalations, by severity and status (open or acknowledged)",
        labels=["severity", "status"],
    )
    for severity in Severity:
        for status in (Escalation.Status.OPEN, Escalation.Status.ACKNOWLEDGED):
            open_.add_metric([severity.label, status], counts.get((severity, status), 0))
    yield open_
    oldest = dict(
        unresolved.filter(status=Escalation.Status.OPEN)
        .values_list("severity")
        .annotate(first=Min("opened_at"))
        .order_by()
    )
    waiting = GaugeMetricFamily(
        "followup_oldest_unacknowledged_escalation_age_seconds",
        "How long the oldest escalation nobody has acknowledged has waited, by severity",
        labels=["severity"],
    )
    for severity in Severity:
        first = oldest.get(severity)
        waiting.add_metric([severity.label], (now - first).total_seconds() if first else 0)
    yield waiting
    untriaged = InboundMessage.objects.filter(
        processed_at=None, processing_attempts__lt=PROCESSING_ATTEMPTS
    ).aggregate(first=Min("received_at"))["first"]
    yield GaugeMetricFamily(
        "followup_oldest_untriaged_message_age_seconds",
        "How long the oldest received message has waited for the worker (0 when none waits)",
        value=(now - untriaged).total_seconds() if untriaged else 0,
    )
    passes = GaugeMetricFamily(
        "followup_worker_last_pass_age_seconds",
        "Seconds since each of the worker's passes last finished (absent: never finished)",
        labels=["name"],
    )
    for name, finished in WorkerPass.objects.filter(name__in=PASSES).values_list(
        "name", "finished_at"
    ):
        if finished is not None:
            passes.add_metric([name], (now - finished).total_seconds())
    yield passes
    from django_q.models import Failure

    yield GaugeMetricFamily(
        "followup_failed_tasks",
        "Tasks that raised, as django-q keeps them (grows when tasks fail)",
        value=Failure.objects.count(),
    )


def _queue() -> Iterator[Metric]:
    # The broker is the database by default, Redis with Q_BROKER_URL: either may be away.
    from django_q.brokers import get_broker

    try:
        depth = get_broker().queue_size()
    except Exception as exc:
        log.warning("metrics: the task queue could not be read (%s)", type(exc).__name__)
        return
    yield GaugeMetricFamily(
        "followup_queue_depth", "Tasks waiting in django-q's queue", value=depth
    )


def _spool() -> Iterator[Metric]:
    """Webhooks kept while the database was down, in this process's reach (Redis, local file)."""
    waiting = spool.status()
    yield GaugeMetricFamily(
        "followup_inbound_spool_depth",
        "Webhooks kept while the database was down, not yet replayed",
        value=float(waiting["depth"]),  # type: ignore[arg-type]
    )
    yield GaugeMetricFamily(
        "followup_inbound_spool_dead",
        "Spooled webhooks that replay could not store (dead letters, for a person to look at)",
        value=float(waiting["dead"]),  # type: ignore[arg-type]
    )
    yield GaugeMetricFamily(
        "followup_inbound_spool_oldest_seconds",
        "How long the oldest spooled webhook has waited for replay (0 when none waits)",
        value=float(waiting["oldest_seconds"]),  # type: ignore[arg-type]
    )
