"""Signing in: lockout after wrong passwords, session limits, and the second step."""

import time
from base64 import b32encode
from collections.abc import Callable
from typing import Any

import segno
from axes.backends import AxesBackend
from django import forms
from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from followup.auth import AuthenticatedHttpRequest
from followup.models import User
from followup.signed_in import PasswordBackend

STARTED = "signin_started"
LAST_ACTIVE = "signin_last_active"
SECOND_STEP = "signin_second_step"
RECOVERY_CODES = 10
# Pages a signed-in person must reach before the second step is done.
OPEN_PAGES = {"login", "logout", "two-factor-setup", "two-factor-verify", "healthz"}

Middleware = Callable[[HttpRequest], HttpResponseBase]


def client_ip(request: HttpRequest) -> str | None:
    """The address a lockout is keyed on: the proxy's last hop when behind one."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # The proxy appends the address it saw; anything before it the client may have forged.
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


# The longest username the lockout's tables hold (django-axes' AccessAttempt.username).
LOCKOUT_USERNAME_CHARS = 255


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username a lockout is keyed on, as django-axes reads it, cut to what its tables hold:
    a longer one is nobody's username, and storing it whole failed the sign-in with a 500."""
    name = (credentials or getattr(request, "POST", {})).get("username")
    return name[:LOCKOUT_USERNAME_CHARS] if isinstance(name, str) else name


class LockoutBackend(PasswordBackend, AxesBackend):
    """Refuses a locked-out username and address pair before any password is checked.

    The password itself is checked by the PasswordBackend listed after this one. A session
    signed in by code (force_login) names this backend, the first: it reads the user as
    PasswordBackend does.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            # Only code calls authenticate without a request (a shell, the test client); the
            # sign-in pages always pass one, and there is no address to key a lockout on.
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def automatic(request: HttpRequest) -> bool:
    """The dashboard's own refresh, which must not keep an unattended screen signed in."""
    return request.headers.get("X-Auto-Refresh") == "1"


def signed_out(request: HttpRequest) -> HttpResponse:
    if automatic(request):
        # Not a redirect: the page stays as it is, with whatever the nurse typed.
        return HttpResponse("Signed out: sign in again.", status=401, content_type="text/plain")
    return redirect_to_login(request.get_full_path())


@receiver(user_logged_in)
def _start_session(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_ACTIVE] = now
    # Someone who set up a second step is asked for it even where it is optional.
    request.session[SECOND_STEP] = user_has_device(user)


class SessionLimitMiddleware:
    """Signs out after SESSION_IDLE_MINUTES without a request, or SESSION_MAX_HOURS in all."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED, now)
            last_active = request.session.setdefault(LAST_ACTIVE, now)
            idle = now - last_active > settings.SESSION_IDLE_MINUTES * 60
            too_old = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_old:
                logout(request)
                return signed_out(request)
            # Each write is a database UPDATE: a minute's precision is plenty for a 15 minute limit.
            if not automatic(request) and now - last_active > 60:
                request.session[LAST_ACTIVE] = now
        return self.get_response(request)


def end_sessions(user: User) -> int:
    """Sign the user out everywhere; returns how many sessions ended."""
    # Sessions are opaque to the database, so each live one is decoded; there are few.
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@require_POST
def stay_signed_in(request: HttpRequest) -> HttpResponse:
    """The idle warning's button: this request itself is the activity that counts."""
    if not request.user.is_authenticated:
        return HttpResponse("Signed out: sign in again.", status=401, content_type="text/plain")
    request.session[LAST_ACTIVE] = time.time()
    return HttpResponse(status=204)


def session_limits(request: HttpRequest) -> dict[str, int]:
    """Template context for the idle warning (templates/signin/_session.html)."""
    return {"session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60}


def second_step_due(request: HttpRequest) -> bool:
    user = request.user
    # OTPMiddleware gives the signed-in user is_verified() at run time.
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    return bool(settings.TWO_FACTOR_REQUIRED or request.session.get(SECOND_STEP))


class TwoFactorMiddleware:
    """Until the second step is done, every staff page leads to it (the admin included)."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is None or match.url_name in OPEN_PAGES or not second_step_due(request):
            return None
        if automatic(request):
            return HttpResponse(
                "Second step needed: sign in again.", status=401, content_type="text/plain"
            )
        page = "two-factor-verify" if user_has_device(request.user) else "two-factor-setup"
        return redirect_to_login(request.get_full_path(), reverse(page))


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_page(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request)

    return wrapped


@_signed_in
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """First sign-in: pair an authenticator app, then show the recovery codes once."""
    user = request.user
    if user_has_device(user):
        # Adding a device must not be a way round the one already set up.
        return redirect_to_login(_next_page(request), reverse("two-factor-verify"))
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            return render(
                request, "signin/recovery_codes.html", {"codes": codes, "next": _next_page(request)}
            )
        form.add_error("token", "That code did not match: try the newest one.")
    uri = device.config_url
    context = {
        "form": form,
        "uri": uri,
        "secret": b32encode(device.bin_key).decode(),
        "qr": segno.make(uri, error="m").svg_inline(scale=4),
        "next": _next_page(request),
    }
    return render(request, "signin/setup.html", context)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@_signed_in
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: a code from the app, or one recovery code (used up)."""
    if not any(True for _ in devices_for_user(request.user)):
        return redirect_to_login(_next_page(request), reverse("two-factor-setup"))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next_page(request))
        form.add_error("token", "That code did not match.")
    return render(request, "signin/verify.html", {"form": form, "next": _next_page(request)})
