"""Photos patients send, shown to signed-in staff through us: never a link to a stored URL."""

from django.http import HttpRequest, HttpResponse

from followup import access, audit, audit_views
from followup.access import Right, requires
from followup.gateway import MediaRefused, TransportError, get_gateway
from followup.models import InboundMessage


def _refusal(status: int, reason: str) -> HttpResponse:
    response = HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Right.READ_DASHBOARD)
def inbound_media(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    message = access.get_visible_or_404(InboundMessage.objects.all(), request.user, pk=pk)
    if index >= len(message.media_urls):
        return _refusal(404, "This message has no such photo.")
    try:
        media = get_gateway().fetch_media(message.media_urls[index])
    except MediaRefused as exc:
        return _refusal(403, f"This attachment was not opened: {exc}.")
    except TransportError:
        return _refusal(502, "Twilio did not send the photo. Try again in a minute.")
    response = HttpResponse(media.content, content_type=media.content_type)
    # The type we checked is the type the browser uses: no sniffing, no scripts, no caching.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    audit_views.acted(request, audit.VIEW_MEDIA, message.patient_id, f"inbound {pk} photo {index}")
    return response
