"""/metrics for Prometheus, and the webhook timings, answered early in the middleware chain.

Like the probes, /metrics is answered before host checks and the HTTPS redirect: Prometheus
scrapes each pod by its address over plain HTTP. It is guarded here instead, by a bearer token
(METRICS_TOKEN) and/or the scraper's network (METRICS_ALLOWED_NETWORKS); with neither set it
does not exist.
"""

import functools
import hmac
import ipaddress
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.exposition import choose_encoder

from followup import metrics
from followup.state_metrics import StateCollector

PATH = "/metrics"
WEBHOOKS = "/twilio/"


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return answer_scrape(request)
        if not request.path_info.startswith(WEBHOOKS):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        endpoint = match.url_name if match is not None and match.url_name else "unmatched"
        metrics.WEBHOOK_SECONDS.labels(
            endpoint, metrics.status_class(response.status_code)
        ).observe(time.perf_counter() - started)
        if response.status_code in (400, 403) and endpoint in metrics.INBOUND_ROUTES:
            metrics.inbound(metrics.INBOUND_ROUTES[endpoint], "rejected")
        return response


def answer_scrape(request: HttpRequest) -> HttpResponse:
    refusal = refuse(request)
    if refusal is not None:
        return refusal
    # Prometheus' Accept header picks the format: OpenMetrics, or the classic text format.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encode(registry()), content_type=content_type)


def refuse(request: HttpRequest) -> HttpResponse | None:
    """Why this request may not read the metrics, as a response; None when it may."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return HttpResponseNotFound(
            "metrics are off: set METRICS_TOKEN or METRICS_ALLOWED_NETWORKS"
        )
    if networks and not from_allowed_network(request, networks):
        return HttpResponseForbidden("metrics: this address may not scrape")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponseForbidden("metrics: missing or wrong bearer token")
    return None


def from_allowed_network(request: HttpRequest, networks: list[str]) -> bool:
    # A request relayed by a proxy shows the proxy's address (often loopback): only a direct
    # scrape is judged by its address.
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each gunicorn worker (and a worker sharing the directory) wrote its own values: a fresh
        # registry adds them up. Process metrics exist only per process, so none are shown.
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
        combined.register(StateCollector())
        return combined
    return single_process_registry()


@functools.cache
def single_process_registry() -> CollectorRegistry:
    # The default registry: this process's counters, its process and Python metrics, and state.
    REGISTRY.register(StateCollector())
    return REGISTRY
