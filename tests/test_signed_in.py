"""Who is signed in, read through statements compiled once: the same answers as Django's and
django-otp's own reads, for every session, user and device they would refuse."""

import datetime as dt

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import test_dashboard
from tests.factories import make_user
from tests.test_dashboard import make_escalation
from tests.test_dashboard_refresh import refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_minute")]
PAGE = reverse("dashboard")
# A nurse on every team the test makes, signed in.
nurse_client = test_dashboard.nurse_client


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def signed_in(user, device=None) -> Client:
    client = Client()
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device if isinstance(device, str) else device.persistent_id
        session.save()
    return client


def totp_device(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def test_an_unchanged_refresh_compiles_no_sql(nurse_client, required, monkeypatch):
    make_escalation()
    client = signed_in(nurse_client.nurse, totp_device(nurse_client.nurse))
    etag = refresh(client)["ETag"]
    assert refresh(client, etag).status_code == 304
    compiled = []
    real = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        compiled.append(self.query.model.__name__)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    assert refresh(client, etag).status_code == 304
    # The session, the user, the device and the version each run a statement compiled before.
    assert compiled == []


@pytest.mark.parametrize("kind", ["totp", "static"])
def test_a_confirmed_device_of_the_user_completes_the_second_step(required, kind):
    nurse = make_user(username="nina")
    model = TOTPDevice if kind == "totp" else StaticDevice
    device = model.objects.create(user=nurse, name="second step", confirmed=True)
    assert signed_in(nurse, device).get(PAGE).status_code == 200


@pytest.mark.parametrize(
    "device",
    [
        "another person's",
        "unconfirmed",
        "deleted",
        "otp_totp.totpdevice/abc",
        "otp_totp.totpdevice/\u00b2",
        "otp_totp.totpdevice/99999999999999999999",
        "otp_totp.totpdevice/-1",
        "followup.user/1",
        "nowhere.nothing/1",
        "no label at all",
        "",
    ],
)
def test_a_device_django_otp_would_refuse_leaves_the_second_step_undone(required, device):
    nurse = make_user(username="nina")
    if device == "another person's":
        device = totp_device(make_user(username="omar"))
    elif device == "unconfirmed":
        device = totp_device(nurse, confirmed=False)
    elif device == "deleted":
        gone = totp_device(nurse)
        device = gone.persistent_id
        gone.delete()
    client = signed_in(nurse, device)
    response = client.get(PAGE)
    assert response.status_code == 302 and "two-factor" in response["Location"]
    # As django-otp does, a refused device is forgotten by the session.
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_inactive_account_is_signed_out_at_its_next_request():
    nurse = make_user(username="nina")
    client = signed_in(nurse)
    assert client.get(PAGE).status_code == 200
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    assert client.get(PAGE).status_code == 302


def test_a_changed_password_signs_out_the_other_sessions():
    nurse = make_user(username="nina")
    client = signed_in(nurse)
    nurse.set_password("a new and longer passphrase")
    nurse.save()
    assert client.get(PAGE).status_code == 302


def test_a_deleted_account_is_signed_out():
    nurse = make_user(username="nina")
    client = signed_in(nurse)
    nurse.delete()
    assert client.get(PAGE).status_code == 302


def test_an_expired_session_is_not_read():
    client = signed_in(make_user(username="nina"))
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize("key", ["not-a-session", "x" * 40, "\u00e9" * 40, "a" * 4000])
def test_an_unknown_session_key_is_someone_signed_out(client, key):
    client.cookies["sessionid"] = key
    assert client.get(PAGE).status_code == 302


def test_a_session_signed_in_before_the_backend_was_renamed_stays_signed_in():
    nurse = make_user(username="nina")
    client = signed_in(nurse)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(PAGE).status_code == 200


def test_a_password_sign_in_names_the_password_backend(client):
    nurse = make_user(username="nina")
    nurse.set_password("correct horse battery")
    nurse.save()
    client.post(reverse("login"), {"username": "nina", "password": "correct horse battery"})
    assert client.session[BACKEND_SESSION_KEY] == "followup.signed_in.PasswordBackend"
    assert client.get(PAGE).status_code == 200
