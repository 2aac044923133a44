"""Error answers that say what was wrong, in plain text, without a page of our HTML."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        # Far beyond anything Twilio sends (a body is at most 1,600 characters).
        return HttpResponse(
            f"Request too large: {exception}", status=413, content_type="text/plain"
        )
    return HttpResponse(
        f"Bad request: it could not be read ({type(exception).__name__}).",
        status=400,
        content_type="text/plain",
    )
