"""Which requests this web process takes, when Twilio's webhooks and staff pages run apart.

`WEB_POOL=webhooks` takes only Twilio's webhooks (and /healthz): a misrouted staff request, a
static file or an admin page is refused at once instead of holding a worker a text needs.
`WEB_POOL=staff` refuses Twilio's webhooks. Unset, one process takes everything. The probes and
/metrics are answered earlier in the chain, so every pool keeps them.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from followup.scrape import WEBHOOKS

WEBHOOK_POOL_EXTRAS = ("/healthz",)


class PoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not takes(settings.WEB_POOL, request.path_info):
            return HttpResponseNotFound(f"Not served by the {settings.WEB_POOL} pool.\n")
        return self.get_response(request)


def takes(pool: str, path: str) -> bool:
    """Whether a process of this pool serves this path."""
    webhook = path.startswith(WEBHOOKS)
    if pool == "webhooks":
        return webhook or path in WEBHOOK_POOL_EXTRAS
    if pool == "staff":
        return not webhook
    return True
