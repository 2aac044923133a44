"""Liveness and readiness for orchestrators, answered before host checks and HTTPS redirects.

A Kubernetes or load-balancer probe calls the pod by its address, over plain HTTP, with no
allowed host name: `/livez` and `/readyz` are answered here, first in the middleware chain, so
production's ALLOWED_HOSTS and SSL redirect never turn a healthy process into a failed probe.
Neither touches the database: a web process must stay in rotation while the database is down,
since it still answers Twilio. `/healthz` (followup/health.py) is the deep check for monitoring.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class ProbeMiddleware:
    """Answers /livez and /readyz before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/livez":
            return JsonResponse({"status": "alive"})
        if request.path_info == "/readyz":
            return readiness()
        return self.get_response(request)


def readiness() -> JsonResponse:
    """Ready to take webhooks: configured to check Twilio's signatures and to answer."""
    missing = [
        name
        for name in ("TWILIO_AUTH_TOKEN", "TWILIO_GATEWAY", "SECRET_KEY")
        if not getattr(settings, name, "")
    ]
    if missing:
        return JsonResponse({"status": "not ready", "missing": missing}, status=503)
    return JsonResponse({"status": "ready"})
