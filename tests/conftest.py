"""Shared fixtures: a blocked network, the fake gateway's outbox, signed webhook posts."""

import ipaddress
import os
import socket

import pytest
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
def _fake_gateway(settings):
    from followup import gateway

    settings.TWILIO_GATEWAY = "fake"
    settings.TWILIO_API_URL = ""
    settings.TWILIO_WEBHOOK_BASE_URL = ""
    gateway.outbox.clear()
    yield
    gateway.outbox.clear()


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
