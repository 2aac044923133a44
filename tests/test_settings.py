"""The production switch refuses unsafe configurations with clear messages."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
    "ALLOWED_HOSTS": "followup.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/followup",
    "TWILIO_GATEWAY": "twilio",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "secret-token",
    "TWILIO_FROM_NUMBER": "+13125550199",
    "TWILIO_WEBHOOK_BASE_URL": "https://followup.example.org",
    # Production names where webhooks wait while the database is down (followup.W020).
    "INBOUND_SPOOL_URL": "redis://127.0.0.1:6379/1",
}


def run_check(**changes: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
    env.update(PRODUCTION_ENV)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=60
    )


def test_complete_production_configuration_passes_the_checks():
    result = run_check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"TWILIO_GATEWAY": "fake"}, "TWILIO_GATEWAY must be 'twilio' in production"),
        ({"DATABASE_URL": "sqlite:///prod.sqlite3"}, "DATABASE_URL must point to PostgreSQL"),
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must name the public host"),
        ({"TWILIO_AUTH_TOKEN": None}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set"),
        ({"TWILIO_FROM_NUMBER": None}, "Set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"),
        ({"TWILIO_WEBHOOK_BASE_URL": "http://x.org"}, "TWILIO_WEBHOOK_BASE_URL must be the public"),
    ],
)
def test_production_refuses_an_unsafe_setting(changes, message):
    result = run_check(**changes)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_boolean_in_the_environment_is_a_clear_error():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "Configuration error: DEBUG='maybe': use true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_wsgi_application_refuses_to_start_with_the_fake_gateway_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
    env.update(PRODUCTION_ENV, TWILIO_GATEWAY="fake")
    result = subprocess.run(
        [sys.executable, "-c", "import followup.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TWILIO_GATEWAY must be 'twilio' in production" in result.stderr


def test_development_defaults_need_no_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='followup.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.TWILIO_GATEWAY, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split()[:3] == ["True", "fake", "django.db.backends.sqlite3"]


def test_production_without_a_spool_url_starts_with_a_warning_naming_the_local_file():
    without = run_check(INBOUND_SPOOL_URL=None, INBOUND_SPOOL_FALLBACK="/var/lib/followup/spool")
    assert without.returncode == 0
    assert "followup.W020" in without.stderr + without.stdout
    assert "/var/lib/followup/spool" in without.stderr + without.stdout
    with_redis = run_check(INBOUND_SPOOL_URL="redis://127.0.0.1:6379/1")
    assert "followup.W020" not in with_redis.stderr + with_redis.stdout


def test_the_database_connection_has_a_connect_timeout_and_only_web_a_statement_timeout():
    def options(entry_point: str) -> str:
        code = (
            "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'followup.settings');"
            f"{entry_point}; from django.conf import settings;"
            "print(settings.DATABASES['default']['OPTIONS'])"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
        env.update(
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/followup", DB_CONNECT_TIMEOUT="4"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    web = options("import followup.wsgi")
    assert "'connect_timeout': 4" in web and "-c statement_timeout=30000" in web
    # manage.py (migrate, qcluster): no limit, a long migration must finish.
    command = options("import django; django.setup()")
    assert "'connect_timeout': 4" in command and "statement_timeout" not in command


def broker_settings(folder, **changes: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("Q_BROKER_URL", "DB_POOLING")}
    # The database broker opens a connection: a database of the test's own.
    env.update(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", **changes)
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='followup.settings';"
        "django.setup();"
        "from django.conf import settings as s; from django_q.brokers import get_broker;"
        "print(type(get_broker()).__name__, s.Q_CLUSTER.get('orm'), s.Q_CLUSTER.get('redis'),"
        " s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_task_broker_is_the_database_unless_q_broker_url_names_a_redis(tmp_path):
    assert broker_settings(tmp_path).stdout.split() == ["ORM", "default", "None", "False"]
    url = "rediss://:secret@redis.internal:6380/2"
    assert broker_settings(tmp_path, Q_BROKER_URL=url).stdout.split() == [
        "Redis",
        "None",
        url,
        "False",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://:secret@redis.internal:6379/0",
        "redis://:secret@redis.internal:port/0",
        "redis://:secret@/0",
        "redis://:secret@redis.internal:6379/queue",
        "secret",
    ],
)
def test_a_q_broker_url_that_is_not_a_redis_is_a_clear_error_that_hides_the_password(url):
    result = run_check(Q_BROKER_URL=url)
    assert result.returncode != 0
    assert "Configuration error: Q_BROKER_URL (" in result.stderr
    assert "use redis://host:6379/0" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_behind_pgbouncer_querysets_fetch_without_server_side_cursors(tmp_path):
    assert broker_settings(tmp_path, DB_POOLING="pgbouncer").stdout.split()[-1] == "True"
    result = run_check(DB_POOLING="session")
    assert result.returncode != 0
    assert "DB_POOLING='session': use pgbouncer, or leave it unset" in result.stderr
