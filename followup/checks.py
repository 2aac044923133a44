"""System checks that keep a misconfigured production from starting."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_production_settings(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
    errors: list[Error] = []
    if settings.TWILIO_GATEWAY not in ("twilio", "fake"):
        errors.append(
            Error(
                f"TWILIO_GATEWAY={settings.TWILIO_GATEWAY!r}: use twilio or fake.",
                id="followup.E001",
            )
        )
    if not settings.PRODUCTION:
        return errors

    def require(condition: bool, message: str, code: str) -> None:
        if not condition:
            errors.append(Error(message, hint="See the configuration table in README.md.", id=code))

    require(
        bool(settings.SECRET_KEY) and settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY,
        "SECRET_KEY must be set to a long random value in production.",
        "followup.E010",
    )
    require(
        bool(settings.ALLOWED_HOSTS), "ALLOWED_HOSTS must name the public host(s).", "followup.E011"
    )
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "DATABASE_URL must point to PostgreSQL in production (postgres://...); "
        "SQLite is for development and the demo only.",
        "followup.E012",
    )
    require(
        settings.TWILIO_GATEWAY == "twilio",
        "TWILIO_GATEWAY must be 'twilio' in production; the fake gateway sends nothing.",
        "followup.E013",
    )
    require(
        bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN),
        "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set in production.",
        "followup.E014",
    )
    require(
        bool(settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID),
        "Set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID in production.",
        "followup.E015",
    )
    require(
        settings.TWILIO_WEBHOOK_BASE_URL.startswith("https://"),
        "TWILIO_WEBHOOK_BASE_URL must be the public https:// URL Twilio calls, "
        "or webhook signatures cannot be checked.",
        "followup.E016",
    )
    return errors


@register()
def check_inbound_spool(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Warning]:
    if not settings.PRODUCTION or settings.INBOUND_SPOOL_URL:
        return []
    return [
        Warning(
            "INBOUND_SPOOL_URL is not set: webhooks received while the database is down are kept "
            f"in {settings.INBOUND_SPOOL_FALLBACK}, which a container moved elsewhere leaves "
            "behind.",
            hint="Set INBOUND_SPOOL_URL to a Redis with append-only persistence, or to a file "
            "on a persistent volume (README.md, 'When the database is down').",
            id="followup.W020",
        )
    ]
