"""The demo app installed in the test process, as DEMO_MODE=1 installs it at start-up."""

import socket

import pytest


@pytest.fixture
def demo_app(settings):
    """Install the demo app and its routes; settings are read at import, so they are swapped."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "followup.demo"]
    settings.ROOT_URLCONF = "tests.demo.urls"
    return settings


@pytest.fixture
def demo_mode(demo_app):
    demo_app.DEMO_MODE = True
    return demo_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
