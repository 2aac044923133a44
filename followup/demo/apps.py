"""The demo app, installed only when DEMO_MODE is on (see followup/settings.py)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "followup.demo"
    label = "demo"
    verbose_name = "Spine Follow-up demo"
