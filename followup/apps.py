"""The followup app."""

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Spine Follow-up"

    def ready(self) -> None:
        from followup import checks  # noqa: F401  (registers the production checks)
