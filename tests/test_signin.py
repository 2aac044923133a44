"""Signing in: lockout after wrong passwords, idle and absolute session limits, ending sessions."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.signin import end_sessions
from tests.factories import make_user

pytestmark = pytest.mark.django_db

IP_A = "10.0.0.1"
IP_B = "10.0.0.2"
PASSWORD = "correct horse battery"


def sign_in(client, username, password=PASSWORD, ip=IP_A):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client, **headers) -> bool:
    response = client.get(reverse("dashboard"), **headers)
    return not (response.status_code == 302 and response.url.startswith(reverse("login")))


def fail_five_times(client, username, ip=IP_A):
    for _ in range(5):
        response = sign_in(client, username, password="wrong-password-123", ip=ip)
    return response


def test_a_right_password_signs_in(client):
    make_user(username="nina")
    response = sign_in(client, "nina")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert signed_in(client)


def test_five_wrong_passwords_lock_that_username_from_that_address(client):
    make_user(username="nina")
    response = fail_five_times(client, "nina")
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    response = sign_in(client, "nina")
    assert response.status_code == 429
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock_and_a_success_clears_them(client):
    make_user(username="nina")
    for _ in range(4):
        sign_in(client, "nina", password="wrong-password-123")
    assert sign_in(client, "nina").status_code == 302
    assert not AccessAttempt.objects.filter(username="nina").exists()


def test_the_same_username_from_another_address_can_still_sign_in(client):
    make_user(username="nina")
    fail_five_times(client, "nina", ip=IP_A)
    response = sign_in(client, "nina", ip=IP_B)
    assert response.status_code == 302
    assert signed_in(client)


def test_another_username_from_the_locked_address_can_still_sign_in(client):
    make_user(username="nina")
    make_user(username="sam")
    fail_five_times(client, "nina", ip=IP_A)
    assert sign_in(client, "sam", ip=IP_A).status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client):
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail_five_times(client, "nina")
        traveller.shift(dt.timedelta(minutes=14))
        assert sign_in(client, "nina").status_code == 429
        # A try during the lockout starts the cool-off again.
        traveller.shift(dt.timedelta(minutes=16))
        assert sign_in(client, "nina").status_code == 302


def test_unlock_user_lets_a_locked_out_person_sign_in(client, capsys):
    make_user(username="nina")
    fail_five_times(client, "nina")
    call_command("unlock_user", "nina")
    assert "Unlocked nina" in capsys.readouterr().out
    assert sign_in(client, "nina").status_code == 302


def test_unlock_user_refuses_a_name_with_no_account_and_nothing_to_clear(client, capsys):
    make_user(username="nina")
    with pytest.raises(CommandError, match="No account is named nian and no failed sign-ins"):
        call_command("unlock_user", "nian")
    # Failed sign-ins under a name no account has are still cleared, and that is said.
    fail_five_times(client, "nobody")
    call_command("unlock_user", "nobody")
    out = capsys.readouterr().out
    assert "No account is named nobody; 1 failed sign-in record(s) under that name cleared" in out
    assert not AccessAttempt.objects.filter(username="nobody").exists()


def test_a_failed_sign_in_is_logged_without_the_password(client, caplog):
    make_user(username="nina")
    with caplog.at_level(logging.INFO):
        sign_in(client, "nina", password="hunter2-secret-guess")
    assert "nina" in caplog.text
    assert "login failure" in caplog.text.lower()
    assert "hunter2-secret-guess" not in caplog.text
    attempt = AccessAttempt.objects.get(username="nina")
    assert attempt.ip_address == IP_A
    assert attempt.failures_since_start == 1
    stored = " ".join(str(value) for value in vars(attempt).values())
    assert "hunter2-secret-guess" not in stored


def test_code_that_authenticates_without_a_request_still_works(client):
    make_user(username="nina")
    assert client.login(username="nina", password=PASSWORD)


def test_an_idle_session_is_signed_out(client, settings):
    settings.SESSION_IDLE_MINUTES = 15
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nina")
        traveller.shift(dt.timedelta(minutes=14))
        assert signed_in(client)
        traveller.shift(dt.timedelta(minutes=14))
        assert signed_in(client)
        traveller.shift(dt.timedelta(minutes=16))
        assert not signed_in(client)
        assert not signed_in(client)


def test_automatic_refreshes_do_not_keep_a_session_alive(client, settings):
    settings.SESSION_IDLE_MINUTES = 15
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nina")
        for _ in range(2):
            traveller.shift(dt.timedelta(minutes=6))
            response = client.get(reverse("dashboard-rows"), HTTP_X_AUTO_REFRESH="1")
            assert response.status_code == 200
        # 16 minutes since the person last did anything.
        traveller.shift(dt.timedelta(minutes=4))
        response = client.get(reverse("dashboard-rows"), HTTP_X_AUTO_REFRESH="1")
        assert response.status_code == 401
        assert response.content.decode() == "Signed out: sign in again."
        assert not signed_in(client)


def test_an_idle_page_load_goes_to_the_sign_in_page(client, settings):
    settings.SESSION_IDLE_MINUTES = 15
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nina")
        traveller.shift(dt.timedelta(minutes=16))
        response = client.get(reverse("dashboard-rows"))
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={reverse('dashboard-rows')}"


def test_stay_signed_in_extends_the_idle_time(client, settings):
    settings.SESSION_IDLE_MINUTES = 15
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nina")
        traveller.shift(dt.timedelta(minutes=13))
        assert client.post(reverse("stay-signed-in")).status_code == 204
        traveller.shift(dt.timedelta(minutes=13))
        assert signed_in(client)


def test_stay_signed_in_after_the_sign_out_answers_401(client):
    assert client.post(reverse("stay-signed-in")).status_code == 401


def test_a_session_ends_after_its_absolute_lifetime_however_busy(client, settings):
    settings.SESSION_IDLE_MINUTES = 15
    settings.SESSION_MAX_HOURS = 12
    make_user(username="nina")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nina")
        for _ in range(11 * 6):
            traveller.shift(dt.timedelta(minutes=10))
            assert signed_in(client)
        traveller.shift(dt.timedelta(minutes=61))
        assert not signed_in(client)


def test_the_idle_warning_carries_the_timeout_for_session_js(rf, settings):
    settings.SESSION_IDLE_MINUTES = 20
    request = rf.get("/")
    request.user = make_user(username="nina")
    html = render_to_string("signin/_session.html", request=request)
    assert 'data-idle-seconds="1200"' in html
    assert 'data-warn-seconds="120"' in html
    assert "followup/session.js" in html
    assert f'action="{reverse("stay-signed-in")}"' in html


def test_end_sessions_signs_a_person_out_everywhere_and_no_one_else():
    nina = make_user(username="nina")
    make_user(username="sam")
    first, second, other = Client(), Client(), Client()
    sign_in(first, "nina")
    sign_in(second, "nina", ip=IP_B)
    sign_in(other, "sam")
    assert end_sessions(nina) == 2
    assert not signed_in(first)
    assert not signed_in(second)
    assert signed_in(other)


def test_end_sessions_command(client, capsys):
    make_user(username="nina")
    sign_in(client, "nina")
    call_command("end_sessions", "nina")
    assert "Ended 1 session(s) of nina" in capsys.readouterr().out
    assert not signed_in(client)


def test_an_overlong_username_is_a_wrong_sign_in_not_a_server_error(client):
    make_user(username="nina")
    for name in ("x" * 300, "nina" * 100):
        response = sign_in(client, name)
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.filter(username="x" * 255).exists()
    # Still counted against the lockout, under the name cut to what the table holds.
    fail_five_times(client, "x" * 300)
    assert sign_in(client, "x" * 300).status_code == 429
