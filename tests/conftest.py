"""Shared fixtures: a blocked network, the fake gateway's outbox, signed webhook posts."""

import datetime as dt
import ipaddress
import os
import socket

import pytest
import time_machine
from twilio.request_validator import RequestValidator

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise OSError(f"tests may not reach the network ({host})")
        except ValueError:
            if host != "localhost":
                raise OSError(f"tests may not reach the network ({host})") from None
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    # A forgotten real Twilio call fails loudly instead of texting a stranger.
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Transactional tests flush the database; put back what the migrations installed."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        from django.apps import apps

        from followup.defaults import install_defaults

        request.getfixturevalue("transactional_db")
        install_defaults(apps)


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    from followup import gateway

    settings.TWILIO_GATEWAY = "fake"
    settings.TWILIO_API_URL = ""
    # Pacing is tested on its own; elsewhere it would only make tests wait.
    settings.TWILIO_SEGMENTS_PER_SECOND = 1000
    settings.TWILIO_WEBHOOK_BASE_URL = ""
    gateway.outbox.clear()
    yield
    gateway.outbox.clear()


@pytest.fixture(autouse=True, scope="session")
def _subprocess_spool(tmp_path_factory):
    """Servers and workers that tests start spool to this run's own file, never the checkout's."""
    os.environ["INBOUND_SPOOL_FALLBACK"] = str(tmp_path_factory.mktemp("spool") / "inbound.jsonl")


@pytest.fixture(autouse=True)
def _spool(settings, tmp_path):
    """Each test spools to a file of its own, and starts with the database counted as up."""
    from followup import outage

    settings.INBOUND_SPOOL_URL = ""
    settings.INBOUND_SPOOL_FALLBACK = str(tmp_path / "spool" / "inbound.jsonl")
    outage._down_until = 0.0
    yield
    outage._down_until = 0.0


@pytest.fixture
def mid_minute():
    """The clock set back to five seconds into the current minute, and running: a dashboard
    version taken and asked for again within a test stays in one minute (the minute is part of
    the version, so a refresh just after it turns is rightly a changed one), however slow the
    machine. Both 304 tests failed once on a clean clone as the minute turned between them."""
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now.replace(second=5, microsecond=0), tick=True):
        yield


@pytest.fixture
def outbox():
    from followup import gateway

    return gateway.outbox


def sign(url: str, params: dict[str, str], token: str | None = None) -> str:
    from django.conf import settings

    return RequestValidator(token or settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)


@pytest.fixture
def twilio_post(client):
    """POST form params to a webhook, signed as Twilio signs them for the test server's URL."""

    def post(path: str, params: dict[str, str], **extra):
        signature = sign(f"http://testserver{path}", params)
        return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, **extra)

    return post


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; CI fails rather than skip when it is missing."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url: str, username: str, password: str = "correct horse battery") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
