"""The demo app is installed, routed and found only in demo mode, never in production."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import get_commands
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

# Settings are read once, at import: each mode is looked at in a process of its own.
REPORT = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse
commands = get_commands()
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "commands": [name for name in ("seed_demo", "run_demo") if name in commands],
    "phone": reverse("demo-phone") if "followup.demo" in settings.INSTALLED_APPS else None,
}))
"""


def settings_with(**changes: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_", "DEMO_"))}
    env.update(DJANGO_SETTINGS_MODULE="followup.settings", **changes)
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_demo_mode_installs_the_demo_app_its_commands_and_routes():
    report = settings_with(DEMO_MODE="1", TWILIO_GATEWAY="fake")
    assert "followup.demo" in report["apps"]
    assert report["commands"] == ["seed_demo", "run_demo"]
    assert report["phone"] == "/demo/phone/"


@pytest.mark.parametrize("changes", [{}, {"DEMO_MODE": "0"}, {"DJANGO_ENV": "production"}])
def test_without_demo_mode_there_is_no_demo_app_and_no_demo_commands(changes):
    # In production DEMO_MODE=1 is ignored.
    if changes.get("DJANGO_ENV") == "production":
        changes = {**changes, "DEMO_MODE": "1"}
    report = settings_with(**changes)
    assert "followup.demo" not in report["apps"]
    assert report["commands"] == []
    assert report["phone"] is None


def test_the_test_settings_have_no_demo_app():
    assert not settings.DEMO_MODE
    assert "followup.demo" not in settings.INSTALLED_APPS
    assert "seed_demo" not in get_commands()
    assert "run_demo" not in get_commands()


def test_without_the_demo_app_its_urls_do_not_resolve(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("demo-phone")
    with pytest.raises(Resolver404):
        resolve("/demo/phone/")
    assert client.get("/demo/phone/").status_code == 404
    assert client.get("/demo/phone/1/").status_code == 404


def test_without_the_demo_app_its_templates_and_static_files_are_not_found():
    with pytest.raises(TemplateDoesNotExist):
        get_template("demo/phone.html")
    assert finders.find("demo/phone.js") is None


def test_installing_the_demo_app_brings_its_routes_templates_and_files(demo_app):
    assert reverse("demo-phone") == "/demo/phone/"
    assert get_template("demo/phone.html")
    assert finders.find("demo/phone.js")
    assert "seed_demo" in get_commands()
