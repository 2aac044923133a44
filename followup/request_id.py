"""A request id for every request: taken from a sane X-Request-ID or made, logged, returned.

It is kept in a context variable for the length of the request, so every log line written while
the request runs carries it (followup.logs), and the response names it in X-Request-ID: an
operator can find the lines of one webhook from Twilio's debugger or a proxy's access log.
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# A proxy's or load balancer's id is kept when it is short and plain; anything else (a log
# injection, a megabyte of header) is replaced by a fresh one.
SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")

current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def get() -> str | None:
    return current.get()


def choose(incoming: str | None) -> str:
    if incoming and SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = choose(request.headers.get(HEADER))
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request's id, or "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get() or "-"
        return True
