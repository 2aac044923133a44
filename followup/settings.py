"""Settings, read from the environment: safe local defaults, strict in production."""

import datetime as dt
import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from followup import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use true or false")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: must be a whole number") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r}: use development or production")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = envbool("DEBUG", not PRODUCTION)
# The production checks (followup/checks.py) refuse to start with the development key.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# Behind a TLS-terminating proxy the app must know the public scheme for signatures and links.
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HTTPS only: plain HTTP is redirected, and browsers remember it for a year (HSTS). A proxy
    # or load balancer that probes over plain HTTP may use /healthz without the redirect.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
# Pages are never framed, and links to other sites carry no path (it may hold a patient id).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Demo mode installs the demo app (the "patient phone" page, seed_demo, run_demo); it never
# exists in production.
DEMO_MODE = envbool("DEMO_MODE", False) and not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "followup",
]
if DEMO_MODE:
    INSTALLED_APPS.append("followup.demo")

MIDDLEWARE = [
    # First: probes are answered before host checks and HTTPS redirects (followup/probes.py).
    "followup.probes.ProbeMiddleware",
    # Observability: a request id for every log line, then /metrics and webhook timings.
    "followup.request_id.RequestIdMiddleware",
    "followup.scrape.MetricsMiddleware",
    # Before static files and sessions: a request for the other pool costs nothing here.
    "followup.pools.PoolMiddleware",
    # A NUL in a query string is a 400 before it reaches a view or the database.
    "followup.nul_bytes.NulQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "followup.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "followup.signed_in.DeviceMiddleware",
    "followup.signin.SessionLimitMiddleware",
    "followup.signin.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "followup.urls"
WSGI_APPLICATION = "followup.wsgi.application"
AUTH_USER_MODEL = "followup.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address pair is refused before any password check.
    "followup.signin.LockoutBackend",
    "followup.signed_in.PasswordBackend",
]
# Five wrong passwords lock that username from that address for 15 minutes; the same person at
# another address, or another person at this one, can still sign in.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "signin/locked.html"
AXES_CLIENT_IP_CALLABLE = "followup.signin.client_ip"
AXES_USERNAME_CALLABLE = "followup.signin.lockout_username"
# Axes always masks the password; the username and address stay readable so a team lead can
# tell who was locked out and from where.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Signed out after this long without a request from the person (automatic refreshes do not
# count), and after this long in any case.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 15)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12)
# Django's database sessions, read through a statement compiled once (followup/signed_in.py).
SESSION_ENGINE = "followup.signed_in"
# A second step (an authenticator app's code, or a recovery code) after the password.
# Production always asks for the second step; elsewhere (the demo) it is a choice.
TWO_FACTOR_REQUIRED = PRODUCTION or envbool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "Spine Follow-up"
# The admin never shows a device's key or QR code: whoever reads them can make its codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followup.context_processors.gateway_banner",
                "followup.signin.session_limits",
                "followup.access.user_rights",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the single demo worker writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# When the database is down: timeouts, and where webhooks spool (followup/spool.py, README).
# connect_timeout bounds reaching the server; statement_timeout (DB_STATEMENT_TIMEOUT seconds,
# 0 = none) is set only where asked: followup/wsgi.py asks 30 s for web processes, so migrations
# and the worker keep running statements as long as they need. A frozen server answers no
# timeout at all: webhooks also give their database work WEBHOOK_DB_DEADLINE seconds in-process.
DB_CONNECT_TIMEOUT = envint("DB_CONNECT_TIMEOUT", 3)
DB_STATEMENT_TIMEOUT = envint("DB_STATEMENT_TIMEOUT", 0)
WEBHOOK_DB_DEADLINE = envint("WEBHOOK_DB_DEADLINE", 8)
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["connect_timeout"] = DB_CONNECT_TIMEOUT
    if DB_STATEMENT_TIMEOUT:
        _db_options["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
# redis://host:6379/1 (append-only persistence) or a file path; unset: a file under var/.
INBOUND_SPOOL_URL = os.environ.get("INBOUND_SPOOL_URL", "")
# Where entries go when the spool above fails too, and the default spool.
INBOUND_SPOOL_FALLBACK = os.environ.get(
    "INBOUND_SPOOL_FALLBACK", str(BASE_DIR / "var" / "spool" / "inbound.jsonl")
)
# /healthz is degraded while an entry has waited this long for the database.
SPOOL_STALE_SECONDS = envint("SPOOL_STALE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here; the image sets its own (deploy/Dockerfile).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")

# Twilio: the gateway module is the only code that talks to it.
TWILIO_GATEWAY = os.environ.get("TWILIO_GATEWAY", "" if PRODUCTION else "fake")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "" if PRODUCTION else "AC" + "0" * 32)
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "" if PRODUCTION else "development-token")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "" if PRODUCTION else "+15005550006")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "")
# Pacing of texts per sending number: long_code (1 segment/s), toll_free (3), short_code (100),
# or an explicit TWILIO_SEGMENTS_PER_SECOND.
TWILIO_SENDER_TYPE = os.environ.get("TWILIO_SENDER_TYPE", "long_code")
if TWILIO_SENDER_TYPE not in ("long_code", "toll_free", "short_code"):
    raise ImproperlyConfigured(
        f"TWILIO_SENDER_TYPE={TWILIO_SENDER_TYPE!r}: use long_code, toll_free or short_code"
    )
TWILIO_SEGMENTS_PER_SECOND = envint("TWILIO_SEGMENTS_PER_SECOND", 0)
TWILIO_WEBHOOK_BASE_URL = os.environ.get("TWILIO_WEBHOOK_BASE_URL", "")
# The fake gateway also appends what it would send to this file, for other processes to read.
TWILIO_FAKE_OUTBOX = os.environ.get("TWILIO_FAKE_OUTBOX", "")

# Link printed in pages to clinicians; defaults to the webhook base URL.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", TWILIO_WEBHOOK_BASE_URL)

# No reply this long after a question: one reminder (and later the no-response path).
REMINDER_AFTER_MINUTES = envint("REMINDER_AFTER_MINUTES", 240)
# A check-in that cannot go out this long after its due time expires and shows to staff.
CHECKIN_SEND_WINDOW_MINUTES = envint("CHECKIN_SEND_WINDOW_MINUTES", 180)

# A message not triaged this long after arrival shows to nurses as needing review.
TRIAGE_OVERDUE_SECONDS = envint("TRIAGE_OVERDUE_SECONDS", 60)
# /healthz counts the worker as down when the dispatch schedule is this late, or when one of its
# passes (dispatch, chase, inbound, paging) has not finished for this long.
WORKER_STALE_SECONDS = envint("WORKER_STALE_SECONDS", 180)
# Audit events are kept this long (six years by default), then `prune_audit` deletes them.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 2190)

# --- Data retention (followup/retention.py, `manage.py purge_expired`) ---
# A patient's record is anonymised this long after the last thing that happened in it (seven
# years by default, a common minimum for adult medical records: set your own rule). The protocol
# runs to day 90 after surgery, and a record must outlive that by a further 90 days at least.
DATA_RETENTION_DAYS = envint("DATA_RETENTION_DAYS", 2555)
DATA_RETENTION_MIN_DAYS = 180
if DATA_RETENTION_DAYS < DATA_RETENTION_MIN_DAYS:
    raise ImproperlyConfigured(
        f"DATA_RETENTION_DAYS={DATA_RETENTION_DAYS}: must be at least {DATA_RETENTION_MIN_DAYS} "
        "(the 90-day follow-up and 90 days more)"
    )

Q_CLUSTER = {
    "name": "followup",
    "orm": "default",
    "workers": envint("Q_WORKERS", 1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 2),
    # timeout < retry, so a task is never picked up again while it still runs.
    "timeout": 60,
    "retry": 90,
    "max_attempts": 5,
    "catch_up": False,
    # A failed task is acknowledged, not delivered again: the passes find unfinished work in the
    # database and retry it a bounded number of times (followup/conversation.py, sending.py).
    "ack_failures": True,
    "poll": envint("Q_POLL_SECONDS", 1) or 1,
    "save_limit": 1000,
    "label": "Tasks",
}

# Scaling out (README "Scaling out"): the task broker, and PgBouncer in front of PostgreSQL.
# Either broker, PostgreSQL stays the record of all work: schedules and task results live there,
# and the passes find in it the work of any task a broker lost (a Redis task dies with its worker).
# Pages and safety work: a queue of their own (followup/queues.py), served by the cluster that
# `manage.py run_pages` starts with Q_CLUSTER_NAME=pages, so bulk dispatch never delays a page.
Q_CLUSTER["ALT_CLUSTERS"] = {"pages": {"workers": envint("Q_PAGES_WORKERS", 1)}}
# How often run_pages takes due ladder steps, in seconds, besides the cluster's minute schedule.
PAGES_INTERVAL_SECONDS = envint("PAGES_INTERVAL_SECONDS", 2) or 2
Q_BROKER_URL = os.environ.get("Q_BROKER_URL", "")
if Q_BROKER_URL:
    _broker = urlsplit(Q_BROKER_URL)
    _database = _broker.path.strip("/")
    try:
        _broker.port  # noqa: B018 (raises ValueError when the port is not a number)
        _broker_ok = bool(_broker.hostname) and (_database == "" or _database.isdigit())
    except ValueError:
        _broker_ok = False
    if _broker.scheme not in ("redis", "rediss") or not _broker_ok:
        # The value may hold a password: only its shape is shown.
        raise ImproperlyConfigured(
            f"Q_BROKER_URL ({_broker.scheme or 'no scheme'}://...): use redis://host:6379/0 or "
            "rediss://host:6380/0, or leave it unset for the database broker"
        )
    del Q_CLUSTER["orm"]
    Q_CLUSTER["redis"] = Q_BROKER_URL
# Django's own default, and rendered dashboard cards (followup/dashboard_cards.py) in each
# process's memory: a card is a few kilobytes, two nurses' first screens are some 300 cards, and
# a card nobody asked for in 10 minutes is dropped.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dashboard_cards": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dashboard_cards",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
DB_POOLING = os.environ.get("DB_POOLING", "")
if DB_POOLING not in ("", "pgbouncer"):
    raise ImproperlyConfigured(f"DB_POOLING={DB_POOLING!r}: use pgbouncer, or leave it unset")
if DB_POOLING == "pgbouncer":
    # In transaction pooling a cursor does not outlive its transaction: .iterator() must fetch
    # in chunks on the client instead of holding a server-side cursor.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# Observability (README "Observability"): JSON or plain logs, /metrics, optional Sentry.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or plain")
LOGGING = logs.config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
# /metrics answers a scrape that carries this bearer token and/or comes from these networks
# (CIDRs); in production it is closed until one of them is set.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = envlist(
    "METRICS_ALLOWED_NETWORKS", "" if PRODUCTION else "127.0.0.0/8,::1/128"
)
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_NETWORKS: {_network!r} is not a CIDR"
        ) from None
# Which web pool this process is (followup/pools.py): "webhooks", "staff", or unset for both.
WEB_POOL = os.environ.get("WEB_POOL", "")
if WEB_POOL not in ("", "webhooks", "staff"):
    raise ImproperlyConfigured(f"WEB_POOL={WEB_POOL!r}: use webhooks or staff, or leave it unset")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from followup.sentry import init as init_sentry

    init_sentry(SENTRY_DSN, environment=DJANGO_ENV)

# Deployment: the web process serves its own static files (WhiteNoise), so the image needs no
# volume shared with a proxy.
if PRODUCTION:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
