"""/livez and /readyz as an orchestrator calls them: by pod address, plain HTTP, in production."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PRODUCTION_EDGE = {
    "ALLOWED_HOSTS": ["followup.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_REDIRECT_EXEMPT": [r"^healthz$"],
}


@pytest.mark.parametrize("path", ["/livez", "/readyz"])
def test_a_probe_by_pod_address_over_http_passes_under_production_settings(client, settings, path):
    for name, value in PRODUCTION_EDGE.items():
        setattr(settings, name, value)
    response = client.get(path, HTTP_HOST="10.42.0.17:8000")
    assert response.status_code == 200, response.content
    # The same address on any other page is refused as Django always does: only probes pass.
    assert client.get("/login/", HTTP_HOST="10.42.0.17:8000").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/livez", "/readyz"])
def test_probes_never_touch_the_database(client, path):
    # A web process stays in rotation while the database is away: it still answers Twilio.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) == 0


def test_readiness_fails_with_the_missing_setting_named(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "missing": ["TWILIO_AUTH_TOKEN"]}


def test_liveness_does_not_depend_on_configuration(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    assert client.get("/livez").json() == {"status": "alive"}
