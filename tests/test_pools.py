"""WEB_POOL: a webhooks pool that takes only Twilio and a staff pool that takes everything else."""

import pytest

from tests.test_settings import run_check

WEBHOOKS = ["/twilio/sms/", "/twilio/status/", "/twilio/voice/status/", "/twilio/voice/page/1/"]
STAFF = ["/", "/login/", "/patients/", "/admin/", "/static/followup/app.css"]


def reaches_the_webhook(status: int) -> bool:
    # An unsigned post reaches the view and is refused by its signature check: 403, never 404.
    return status == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", WEBHOOKS)
def test_the_webhooks_pool_takes_twilio_and_the_staff_pool_refuses_it(client, settings, path):
    settings.WEB_POOL = "webhooks"
    assert reaches_the_webhook(client.post(path).status_code)
    settings.WEB_POOL = "staff"
    assert client.post(path).status_code == 404
    settings.WEB_POOL = ""
    assert reaches_the_webhook(client.post(path).status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF)
def test_the_webhooks_pool_refuses_staff_pages_static_files_and_admin(client, settings, path):
    settings.WEB_POOL = "webhooks"
    refused = client.get(path)
    assert refused.status_code == 404
    assert b"webhooks pool" in refused.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF[:-1])
@pytest.mark.parametrize("pool", ["staff", ""])
def test_the_staff_pool_serves_staff_pages(client, settings, pool, path):
    settings.WEB_POOL = pool
    # The sign-in page, or a redirect to it.
    assert client.get(path).status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize("pool", ["webhooks", "staff", ""])
def test_every_pool_answers_the_probes_and_healthz(client, settings, pool):
    settings.WEB_POOL = pool
    assert client.get("/livez").status_code == 200
    assert client.get("/readyz").status_code == 200
    # 200 or 503 with its reasons: the check itself ran, it was not refused.
    assert "database" in client.get("/healthz").json()
    # Prometheus scrapes every pool: the webhook timings come from the webhooks pool.
    assert client.get("/metrics").status_code == 200


def test_an_unknown_pool_is_a_clear_error():
    result = run_check(WEB_POOL="nurses")
    assert result.returncode != 0
    assert "WEB_POOL='nurses': use webhooks or staff, or leave it unset" in result.stderr
    assert "Traceback" not in result.stderr
