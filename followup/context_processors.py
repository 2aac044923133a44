"""Template context shared by every staff page."""

from django.conf import settings
from django.http import HttpRequest


def gateway_banner(request: HttpRequest) -> dict[str, bool]:
    return {"fake_gateway": settings.TWILIO_GATEWAY == "fake", "demo_mode": settings.DEMO_MODE}
