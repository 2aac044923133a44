"""Browser-facing headers: a strict Content Security Policy, no framing, HTTPS in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_user
from tests.test_settings import PRODUCTION_ENV, run_check

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("followup/*/templates")]


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_no_inline_script(client):
    client.force_login(make_user())
    for url in ("/", "/rows/", "/protocols/", "/login/"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["Referrer-Policy"] == "same-origin", url


def test_no_template_holds_inline_script_or_style():
    # The policy would block them in the browser: caught here, with the file named.
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_inline_check_sees_what_it_forbids():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    for html in ("<script>alert(1)</script>", "<style>", '<p style="x">', '<a onclick="x">'):
        assert inline.search(html), html
    assert not inline.search('<script type="module" src="/static/x.js"></script>')


def test_production_passes_the_deployment_checks_with_nothing_silenced():
    result = run_check()
    assert result.returncode == 0, result.stderr
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**_env(), **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert "no issues (0 silenced)" in deploy.stdout
    assert not settings.SILENCED_SYSTEM_CHECKS


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
