"""Error reports to Sentry, when SENTRY_DSN is set, with everything a patient wrote taken out.

Sentry's own defaults send no personal data; these hooks remove what it still sends: request
bodies, query strings, cookies and most headers, local variables in every frame, breadcrumb
data, extra data and custom contexts. What is left (messages, exception values, span names) is
masked for phone numbers and quoted values, and long free text is dropped. Nothing here reads
Django settings, so the scrubbing is tested on its own.
"""

from collections.abc import Callable
from typing import Any, cast

import sentry_sdk
from sentry_sdk import types
from sentry_sdk.integrations.django import DjangoIntegration

from followup.redaction import mask_phones, redact_error

Event = dict[str, Any]

SAFE_HEADERS = frozenset(
    {"accept", "content-length", "content-type", "host", "user-agent", "x-request-id"}
)
SAFE_CONTEXTS = frozenset({"os", "runtime", "trace", "response"})
SAFE_BREADCRUMB_KEYS = frozenset({"category", "level", "timestamp", "type", "message"})
# Longer text with spaces is somebody's words, not an identifier or a code.
LONG_TEXT = 120
FREE_TEXT, FREE_TEXT_SPACES = 200, 8


def init(dsn: str, environment: str, **options: Any) -> None:
    settings: dict[str, Any] = {
        "integrations": [DjangoIntegration()],
        # No personal data by Sentry's default (send_default_pii, now data_collection, unset):
        # naming the deprecated option would only warn, and the hooks below scrub regardless.
        # Frames' local variables hold what the patient wrote: not collected, and scrubbed too.
        "include_local_variables": False,
        "max_request_body_size": "never",
        **options,
    }
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        before_send=_before_send,
        before_send_transaction=_before_send,
        before_breadcrumb=_before_breadcrumb,
        **settings,
    )


def _before_send(event: types.Event, hint: types.Hint) -> types.Event:
    return cast("types.Event", scrub_event(cast("Event", event)))


def _before_breadcrumb(crumb: types.Breadcrumb, hint: types.BreadcrumbHint) -> types.Breadcrumb:
    return scrub_breadcrumb(crumb)


def scrub_event(event: Event, hint: object = None) -> Event:
    """The event, without patient data: a before_send and before_send_transaction hook."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = _scrub_request(request)
    for key in ("extra", "user"):
        event.pop(key, None)
    contexts = event.get("contexts")
    if isinstance(contexts, dict):
        event["contexts"] = {k: v for k, v in contexts.items() if k in SAFE_CONTEXTS}
    for exception in _values(event.get("exception")):
        if isinstance(exception.get("value"), str):
            exception["value"] = redact_error(exception["value"])
        _scrub_stacktrace(exception.get("stacktrace"))
    for thread in _values(event.get("threads")):
        _scrub_stacktrace(thread.get("stacktrace"))
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict):
        crumbs["values"] = [scrub_breadcrumb(c) for c in crumbs.get("values") or []]
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        event["logentry"] = {"message": _text(logentry.get("formatted") or logentry.get("message"))}
    if isinstance(event.get("message"), str):
        event["message"] = _text(event["message"])
    for span in event.get("spans") or []:
        if isinstance(span, dict):
            span.pop("data", None)
            if isinstance(span.get("description"), str):
                span["description"] = _text(span["description"])
    scrubbed: Event = _mask_strings(event)
    return scrubbed


def scrub_breadcrumb(crumb: Event, hint: object = None) -> Event:
    kept = {k: v for k, v in crumb.items() if k in SAFE_BREADCRUMB_KEYS}
    if "message" in kept:
        kept["message"] = _text(kept["message"])
    return kept


def _scrub_request(request: Event) -> Event:
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        # The path names the route; the query string and the body are the caller's data.
        "url": request.get("url"),
        "headers": {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS},
    }


def _scrub_stacktrace(stacktrace: object) -> None:
    if not isinstance(stacktrace, dict):
        return
    for frame in stacktrace.get("frames") or []:
        frame.pop("vars", None)


def _values(container: object) -> list[Event]:
    if isinstance(container, dict):
        return [v for v in container.get("values") or [] if isinstance(v, dict)]
    return []


def _text(value: object) -> str:
    text = redact_error(str(value or ""))
    return text if len(text) <= LONG_TEXT else f"{text[:LONG_TEXT]}… (cut)"


def _last_net(text: str) -> str:
    # No phone-number-like digits anywhere in what leaves, and no long prose.
    if len(text) > FREE_TEXT and text.count(" ") >= FREE_TEXT_SPACES:
        return f"<{len(text)} characters of text>"
    return mask_phones(text)


def _mask_strings(value: Any, mask: Callable[[str], str] = _last_net) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _mask_strings(v, mask) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_strings(v, mask) for v in value]
    return value
