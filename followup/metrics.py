"""What the processes count and time, for Prometheus: webhooks, messages, dispatch, paging.

Each function costs microseconds and never touches the database; what is state (open
escalations, queue depth) is read at scrape time instead (followup/state_metrics.py). Under
gunicorn, with PROMETHEUS_MULTIPROC_DIR set, every process writes its values to that directory
and a scrape adds them up (followup/scrape.py).
"""

import datetime as dt

from prometheus_client import Counter, Histogram, disable_created_metrics

# A `_created` series beside every counter and histogram doubles the series for nothing here.
disable_created_metrics()  # type: ignore[no-untyped-call]

WEBHOOK_SECONDS = Histogram(
    "followup_webhook_duration_seconds",
    "Time to answer a Twilio webhook, by route name and status class",
    ["endpoint", "status_class"],
    # Twilio gives up after 15 s; past 2 s something is wrong.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15),
)
INBOUND = Counter(
    "followup_inbound_messages",
    "Messages and spoken answers received, by channel and outcome (stored, duplicate, rejected)",
    ["channel", "outcome"],
)
OUTBOUND = Counter(
    "followup_outbound_messages",
    "Changes of status of messages and calls we send, by kind and the status reached",
    ["kind", "status"],
)
DISPATCH_LAG = Histogram(
    "followup_dispatch_lag_seconds",
    "From a check-in's due time to Twilio taking its first question",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800),
)
TIME_TO_ACKNOWLEDGE = Histogram(
    "followup_time_to_acknowledge_seconds",
    "From an escalation's opening to its acknowledgement, by severity",
    ["severity"],
    buckets=(30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200),
)
PAGES = Counter(
    "followup_pages_sent",
    "Pages to clinicians that Twilio took, by channel",
    ["channel"],
)

# Route names that carry patients' messages, and their channel.
INBOUND_ROUTES = {"twilio-sms": "sms", "ivr-answer": "voice"}


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def inbound(channel: str, outcome: str) -> None:
    INBOUND.labels(channel, outcome).inc()


def outbound_status(kind: str, status: str) -> None:
    OUTBOUND.labels(kind, status).inc()


def dispatched(due_at: dt.datetime, sent_at: dt.datetime) -> None:
    DISPATCH_LAG.observe(max(0.0, (sent_at - due_at).total_seconds()))


def acknowledged(severity_label: str, opened_at: dt.datetime, at: dt.datetime) -> None:
    TIME_TO_ACKNOWLEDGE.labels(severity_label).observe(max(0.0, (at - opened_at).total_seconds()))


def page_sent(channel: str) -> None:
    PAGES.labels(channel).inc()
