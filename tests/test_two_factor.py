"""The second step after the password: authenticator app codes and one-use recovery codes."""

import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user
from tests.test_settings import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def with_device(**fields):
    user = make_user(**fields)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    recovery.token_set.create(token="abcd2345")
    return user, device


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.mark.parametrize(
    "page",
    [
        reverse("dashboard"),
        reverse("dashboard-rows"),
        reverse("protocols"),
        reverse("admin:index"),
        reverse("admin:followup_user_changelist"),
    ],
)
def test_when_required_every_staff_page_leads_to_setup_first(client, required, page):
    client.force_login(make_user(username="ada", is_staff=True, is_superuser=True))
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == f"{reverse('two-factor-setup')}?next={page}"


def test_when_required_an_automatic_refresh_answers_401_not_a_redirect(client, required):
    client.force_login(make_user())
    response = client.get(reverse("dashboard-rows"), HTTP_X_AUTO_REFRESH="1")
    assert response.status_code == 401


def test_setup_shows_the_otpauth_uri_and_confirms_with_a_code(client, required):
    client.force_login(make_user(username="nina"))
    page = client.get(reverse("two-factor-setup")).content.decode()
    uri = re.search(r'<code id="totp-uri">([^<]+)</code>', page).group(1)
    assert uri.startswith("otpauth://totp/Spine%20Follow-up%3Anina?secret=")
    assert "<svg" in page
    device = TOTPDevice.objects.get(user__username="nina", confirmed=False)
    secret = re.search(r'<code id="totp-secret">([^<]+)</code>', page).group(1)
    assert f"secret={secret}" in uri

    response = client.post(reverse("two-factor-setup"), {"token": code(device), "next": "/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user__username="nina").count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def test_setup_refuses_a_wrong_code(client, required):
    client.force_login(make_user(username="nina"))
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"token": "000000"})
    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("dashboard")).status_code == 302


def test_setup_cannot_add_a_device_beside_a_confirmed_one(client, required):
    user, _ = with_device()
    client.force_login(user)
    response = client.get(reverse("two-factor-setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_with_a_device_a_code_from_the_app_completes_the_sign_in(client, required):
    _, device = with_device(username="nina")
    sign_in(client, "nina")
    response = client.get(reverse("dashboard"))
    assert response.url == f"{reverse('two-factor-verify')}?next=/"
    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_does_not_complete_the_sign_in(client, required):
    with_device(username="nina")
    sign_in(client, "nina")
    response = client.post(reverse("two-factor-verify"), {"token": "123456"})
    assert "did not match" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_recovery_code_works_once(required):
    with_device(username="nina")
    first, second = Client(), Client()
    sign_in(first, "nina")
    assert first.post(reverse("two-factor-verify"), {"token": "abcd2345"}).status_code == 302
    assert first.get(reverse("dashboard")).status_code == 200
    sign_in(second, "nina")
    response = second.post(reverse("two-factor-verify"), {"token": "abcd2345"})
    assert "did not match" in response.content.decode()
    assert second.get(reverse("dashboard")).status_code == 302


def test_verify_does_not_redirect_off_site(client, required):
    _, device = with_device(username="nina")
    sign_in(client, "nina")
    response = client.post(
        reverse("two-factor-verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")


def test_where_optional_a_password_alone_signs_in_someone_without_a_device(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    make_user(username="nina")
    sign_in(client, "nina")
    assert client.get(reverse("dashboard")).status_code == 200


def test_where_optional_someone_who_set_up_a_device_is_still_asked_for_it(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    with_device(username="nina")
    sign_in(client, "nina")
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("two-factor-verify"))


@pytest.mark.parametrize(
    ("env", "expected"), [({}, "True"), ({"TWO_FACTOR_REQUIRED": "0"}, "True")]
)
def test_production_always_requires_the_second_step(env, expected):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
    environ.pop("TWO_FACTOR_REQUIRED", None)
    environ.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="followup.settings", **env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr
