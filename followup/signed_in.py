"""Who is signed in, read on every staff request with statements compiled once per process.

Every staff request reads the session, the user and, after the second step, the device that
verified it. Through the ORM each read cost more to compile than to run (about 0.5 ms of 0.8,
measured in-process): most of an unchanged dashboard refresh. Here each is the ORM's own query,
compiled once (followup/prepared.py), with the same checks as Django and django-otp after it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from followup import prepared
from followup.models import User


def _session(key: str, now: dt.datetime) -> QuerySet[Session, tuple[Any, ...]]:
    # As django's database sessions read one: only while it has not expired.
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        *prepared.columns(Session)
    )


def _user(pk: int) -> QuerySet[User, tuple[Any, ...]]:
    return User._default_manager.filter(pk=pk).values_list(*prepared.columns(User))


_SESSION = prepared.Prepared(_session, strings=["key"], datetimes=["now"])
_USER = prepared.Prepared(_user, ints=["pk"])
# Sessions signed in before the password backend was this module's name Django's.
_RENAMED = {"django.contrib.auth.backends.ModelBackend": "followup.signed_in.PasswordBackend"}


class SessionStore(db.SessionStore):
    """Django's database sessions (SESSION_ENGINE = "followup.signed_in")."""

    def _get_session_from_db(self) -> Session | None:
        session = _SESSION.first(Session, key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None
        return session

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in _RENAMED:
            data[BACKEND_SESSION_KEY] = _RENAMED[backend]
        return data


class PasswordBackend(ModelBackend):
    """Django's password check; the signed-in user read through the compiled statement, and
    refused as ModelBackend refuses (an inactive account)."""

    def get_user(self, user_id: int) -> User | None:
        user = _USER.first(User, pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _device(pk: int, model: type[Device]) -> QuerySet[Device, tuple[Any, ...]]:
    devices: QuerySet[Device, tuple[Any, ...]] = model.objects.filter(id=pk).values_list(
        *prepared.columns(model)
    )
    return devices


_DEVICES: dict[str, tuple[type[Device], prepared.Prepared]] = {}
# The largest id a bigint column holds: a larger one is nobody's, and the database would refuse it.
_LARGEST_ID = 2**63 - 1


def _device_reader(label: str) -> tuple[type[Device], prepared.Prepared] | None:
    if label not in _DEVICES:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return None
        if not issubclass(model, Device):
            return None
        _DEVICES[label] = (model, prepared.Prepared(lambda pk: _device(pk, model), ints=["pk"]))
    return _DEVICES[label]


class DeviceMiddleware(OTPMiddleware):  # type: ignore[misc]
    """django-otp's middleware, reading the device through a compiled statement; whether the
    device is the user's and confirmed is still checked by django-otp (_finalize_device)."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        label, _, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        reader = _device_reader(label)
        if reader is None or not (pk.isascii() and pk.isdigit()) or int(pk) > _LARGEST_ID:
            return None
        model, statement = reader
        return statement.first(model, pk=int(pk))
