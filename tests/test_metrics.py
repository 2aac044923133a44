"""/metrics as Prometheus reads it, after real webhooks, dispatch passes and acknowledgements."""

import datetime as dt
import os
import subprocess
import sys
import uuid
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.monitor import save_task
from django_q.tasks import async_task
from prometheus_client.parser import text_string_to_metric_families

from followup import dispatch
from followup.models import OutboundMessage, Severity
from followup.paging import advance_ladders
from tests.conftest import sign
from tests.test_dispatch import make_due
from tests.test_paging import DAY, at, open_escalation, team  # noqa: F401 (a fixture)
from tests.test_settings import PRODUCTION_ENV, run_check
from tests.test_webhooks import SMS, STATUS, inbound

POD = "10.42.0.17:8000"


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.content.decode())


def samples(text):
    """{(sample name, sorted labels): value} from Prometheus' text format."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name, **labels):
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def change(before, after, name, **labels):
    return value(after, name, **labels) - value(before, name, **labels)


@pytest.mark.django_db
def test_webhooks_are_timed_by_route_and_counted_by_outcome(client, twilio_post):
    before = scrape(client)
    params = inbound("+17735550001", "hello")
    assert twilio_post(SMS, params).status_code == 200
    assert twilio_post(SMS, params).status_code == 200
    assert (
        client.post(SMS, inbound("+17735550001", "hi"), HTTP_X_TWILIO_SIGNATURE="x").status_code
        == 403
    )
    crashing = inbound("+17735550001", "and again")
    with mock.patch("followup.inbound.match_sender", side_effect=RuntimeError("a bug")):
        crashed = Client(raise_request_exception=False).post(
            SMS, crashing, HTTP_X_TWILIO_SIGNATURE=sign(f"http://testserver{SMS}", crashing)
        )
    assert crashed.status_code == 500
    after = scrape(client)
    inbound_total = "followup_inbound_messages_total"
    assert change(before, after, inbound_total, channel="sms", outcome="stored") == 1
    assert change(before, after, inbound_total, channel="sms", outcome="duplicate") == 1
    assert change(before, after, inbound_total, channel="sms", outcome="rejected") == 1
    count = "followup_webhook_duration_seconds_count"
    assert change(before, after, count, endpoint="twilio-sms", status_class="2xx") == 2
    assert change(before, after, count, endpoint="twilio-sms", status_class="4xx") == 1
    assert change(before, after, count, endpoint="twilio-sms", status_class="5xx") == 1
    # The route's name, never its path: no label per patient or per call.
    assert not any("/twilio/" in str(labels) for _, labels in after)


@pytest.mark.django_db
def test_timing_a_webhook_queries_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        client.post(SMS, inbound("+17735550001", "hi"), HTTP_X_TWILIO_SIGNATURE="x")
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_dispatch_records_its_lag_and_each_status_change(client, twilio_post):
    (checkin,) = make_due()
    checkin.due_at -= dt.timedelta(minutes=9)
    checkin.save()
    before = scrape(client)
    assert dispatch.dispatch_due() == 1
    message = OutboundMessage.objects.get(checkin=checkin)
    twilio_post(STATUS, {"MessageSid": message.twilio_sid, "MessageStatus": "delivered"})
    # A late "sent" after "delivered" changes nothing, and counts nothing.
    twilio_post(STATUS, {"MessageSid": message.twilio_sid, "MessageStatus": "sent"})
    after = scrape(client)
    assert change(before, after, "followup_dispatch_lag_seconds_count") == 1
    lag = change(before, after, "followup_dispatch_lag_seconds_sum")
    assert 600 <= lag < 660
    assert change(before, after, "followup_dispatch_lag_seconds_bucket", le="300.0") == 0
    assert change(before, after, "followup_dispatch_lag_seconds_bucket", le="1800.0") == 1
    outbound = "followup_outbound_messages_total"
    assert change(before, after, outbound, kind="question", status="accepted") == 1
    assert change(before, after, outbound, kind="question", status="delivered") == 1
    assert change(before, after, outbound, kind="question", status="sent") == 0


@pytest.mark.django_db
def test_a_page_and_its_acknowledgement_are_counted_and_timed(client, twilio_post, team):  # noqa: F811
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    with time_machine.travel(at(DAY, 4), tick=False):
        opened = scrape(client)
    with time_machine.travel(at(DAY, 5), tick=False):
        before = scrape(client)
        advance_ladders()
        twilio_post(SMS, inbound("+13125550801", "ok calling"))
        after = scrape(client)
    escalation.refresh_from_db()
    assert escalation.acknowledged_at == at(DAY, 5)
    assert value(opened, "followup_open_escalations", severity="emergency", status="open") == 1
    assert (
        value(opened, "followup_oldest_unacknowledged_escalation_age_seconds", severity="emergency")
        == 240
    )
    assert value(after, "followup_open_escalations", severity="emergency", status="open") == 0
    assert (
        value(after, "followup_open_escalations", severity="emergency", status="acknowledged") == 1
    )
    assert change(before, after, "followup_pages_sent_total", channel="sms") == 1
    ack = "followup_time_to_acknowledge_seconds"
    assert change(before, after, f"{ack}_count", severity="emergency") == 1
    assert change(before, after, f"{ack}_sum", severity="emergency") == 300


@pytest.mark.django_db
def test_queue_depth_failed_tasks_and_waiting_messages_are_read_at_scrape_time(client, twilio_post):
    before = scrape(client)
    assert value(before, "followup_database_up") == 1
    async_task("math.floor", 1.5)
    # A failed task as the cluster's monitor saves it.
    now = timezone.now()
    failed = {"id": uuid.uuid4().hex, "name": "broken", "func": "math.floor", "args": ("x",),
              "kwargs": {}, "started": now, "stopped": now, "success": False, "result": "TypeError",
              "group": None, "cluster": "followup", "sync": True}  # fmt: skip
    save_task(failed, get_broker())
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)):
        twilio_post(SMS, inbound("+17735550001", "still waiting"))
    after = scrape(client)
    assert change(before, after, "followup_queue_depth") >= 1
    assert change(before, after, "followup_failed_tasks") == 1
    assert value(after, "followup_oldest_untriaged_message_age_seconds") >= 170


@pytest.mark.django_db(transaction=True)
def test_texts_kept_in_an_outage_show_until_replayed(client, twilio_post):
    from followup import replay
    from tests.test_spool import EMERGENCY, database_down

    assert value(scrape(client), "followup_inbound_spool_depth") == 0
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=4)), database_down():
        assert twilio_post(SMS, inbound("+17735550002", EMERGENCY)).status_code == 200
    waiting = scrape(client)
    assert value(waiting, "followup_inbound_spool_depth") == 1
    assert value(waiting, "followup_inbound_spool_oldest_seconds") >= 230
    replay.replay()
    replayed = scrape(client)
    assert value(replayed, "followup_inbound_spool_depth") == 0
    assert value(replayed, "followup_inbound_spool_oldest_seconds") == 0
    assert value(replayed, "followup_inbound_spool_dead") == 0


# Who may read it


@pytest.mark.django_db
def test_by_default_only_loopback_may_scrape(client):
    assert client.get("/metrics").status_code == 200
    refused = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 403
    assert b"address" in refused.content
    # Through a proxy on the same host every caller looks local: the address proves nothing.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_a_scrape_from_an_allowed_network_by_pod_address_passes_production_settings(
    client, settings
):
    settings.ALLOWED_HOSTS = ["followup.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    response = client.get("/metrics", HTTP_HOST=POD, REMOTE_ADDR="10.42.0.3")
    assert response.status_code == 200
    assert b"followup_database_up 1.0" in response.content
    assert client.get("/metrics", HTTP_HOST=POD).status_code == 403


@pytest.mark.django_db
def test_the_token_is_required_when_set(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    settings.METRICS_ALLOWED_NETWORKS = []
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **outside).status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess", **outside)
    assert wrong.status_code == 403
    assert b"token" in wrong.content
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside)
    assert right.status_code == 200
    # With both set, both must hold.
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert (
        client.get(
            "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside
        ).status_code
        == 403
    )


def test_with_neither_token_nor_networks_there_are_no_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404


# Configuration


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"LOG_FORMAT": "xml"}, "Configuration error: LOG_FORMAT='xml': use json or plain"),
        (
            {"METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,intranet"},
            "Configuration error: METRICS_ALLOWED_NETWORKS: 'intranet' is not a CIDR",
        ),
    ],
)
def test_bad_observability_settings_are_clear_errors(changes, message):
    result = run_check(**changes)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_logs_json_and_keeps_metrics_closed_by_default():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
    env.update(PRODUCTION_ENV)
    for name in ("LOG_FORMAT", "METRICS_TOKEN", "METRICS_ALLOWED_NETWORKS", "SENTRY_DSN"):
        env.pop(name, None)
    script = (
        "import django; django.setup(); from django.conf import settings; import sentry_sdk; "
        "print(settings.LOG_FORMAT, settings.METRICS_ALLOWED_NETWORKS, "
        "sentry_sdk.get_client().is_active())"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "followup.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.split() == ["json", "[]", "False"], shown.stderr
