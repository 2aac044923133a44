"""A NUL character in a staff page's query string is refused with a 400 before any view runs.

PostgreSQL cannot store or compare text holding NUL, so a filter value like `?status=%00`
reached the database and failed with a 500 (the admin's list filters, among others). Forms
already refuse NUL in what they read; this covers every query string the same way. Twilio's
webhooks are left to their own checks, which store what Twilio signed.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

WEBHOOKS = "/twilio/"


class NulQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(WEBHOOKS) and _holds_nul(request):
            return HttpResponseBadRequest(
                "The address holds a NUL character.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path_info or any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
