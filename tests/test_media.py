"""Patients' photos: only through our signed-in view, only our Twilio media, only images."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from followup import gateway
from followup.models import InboundMessage
from tests.factories import make_team, make_user
from tests.test_webhooks import SMS, inbound

ACCOUNT = "AC" + "0" * 32
MEDIA = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{'1' * 32}/Media/ME{'2' * 32}"
MEDIA_URL = "https://api.twilio.com" + MEDIA


@pytest.fixture
def nurse(client):
    nina = make_user(username="nina")
    # Photos from numbers not on file show to staff who are on at least one care team.
    make_team().members.add(nina)
    client.force_login(nina)
    return client


def photo_message(urls: list[str]) -> InboundMessage:
    return InboundMessage.objects.create(
        message_sid="MM" + "3" * 32, from_number="+17735550001", sender="unknown", media_urls=urls
    )


@pytest.mark.django_db
def test_a_stored_script_url_is_never_a_link_on_the_dashboard(twilio_post, nurse):
    twilio_post(SMS, inbound("+17735550001", "look", MediaUrl9="javascript:alert(1)"))
    message = InboundMessage.objects.get()
    html = nurse.get(reverse("dashboard")).content.decode()
    assert "javascript:" not in html
    assert f'href="{reverse("inbound-media", args=[message.pk, 0])}"' in html


@pytest.mark.django_db
def test_a_nurse_sees_a_patients_photo_through_our_view(nurse):
    message = photo_message([MEDIA_URL])
    response = nurse.get(reverse("inbound-media", args=[message.pk, 0]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == gateway.FAKE_PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_photos_are_for_signed_in_staff_only(client):
    message = photo_message([MEDIA_URL])
    response = client.get(reverse("inbound-media", args=[message.pk, 0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "http://api.twilio.com" + MEDIA,
        "https://api.twilio.com.evil.example" + MEDIA,
        "https://user:pw@api.twilio.com" + MEDIA,
        "https://api.twilio.com" + MEDIA.replace(ACCOUNT, "AC" + "9" * 32),
        "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json",
        MEDIA_URL + "?redirect=https://evil.example",
        "https://evil.example" + MEDIA,
    ],
)
def test_only_our_own_accounts_twilio_media_is_fetched(nurse, url):
    message = photo_message([url])
    response = nurse.get(reverse("inbound-media", args=[message.pk, 0]))
    assert response.status_code == 403
    assert b"not opened" in response.content
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["image/svg+xml", "text/html", "application/pdf", "", "image/svg+xml; charset=utf-8"],
)
def test_only_image_types_are_served_never_svg_or_html(nurse, content_type):
    gateway.fake_media[MEDIA_URL] = (content_type, b"<svg onload=alert(1)>")
    try:
        message = photo_message([MEDIA_URL])
        response = nurse.get(reverse("inbound-media", args=[message.pk, 0]))
    finally:
        gateway.fake_media.clear()
    assert response.status_code == 403
    assert b"<svg" not in response.content


@pytest.mark.django_db
def test_a_photo_index_the_message_does_not_have_is_404(nurse):
    message = photo_message([MEDIA_URL])
    assert nurse.get(reverse("inbound-media", args=[message.pk, 1])).status_code == 404
    assert nurse.get(reverse("inbound-media", args=[message.pk + 1, 0])).status_code == 404


class TwilioAndStorage(BaseHTTPRequestHandler):
    """Twilio's media endpoint (redirects) and its storage (serves the photo), on loopback."""

    seen: list[tuple[str, str | None]] = []
    storage_type = "image/jpeg"

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.path.startswith("/2010-04-01/"):
            self.send_response(307)
            self.send_header("Location", f"http://{self.headers['Host']}/storage/photo?sig=x")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", self.storage_type)
        self.end_headers()
        self.wfile.write(b"\xff\xd8\xff photo bytes")

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio_peer(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), TwilioAndStorage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    TwilioAndStorage.seen = []
    settings.TWILIO_GATEWAY = "twilio"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{server.server_port}"
    yield TwilioAndStorage
    server.shutdown()


@pytest.mark.django_db
def test_credentials_go_to_twilio_and_never_follow_the_redirect(nurse, twilio_peer):
    message = photo_message([MEDIA_URL])
    response = nurse.get(reverse("inbound-media", args=[message.pk, 0]))
    assert response.status_code == 200
    assert response.content == b"\xff\xd8\xff photo bytes"
    (first_path, first_auth), (second_path, second_auth) = twilio_peer.seen
    assert first_path == MEDIA and first_auth.startswith("Basic ")
    assert second_path.startswith("/storage/") and second_auth is None


@pytest.mark.django_db
def test_storage_serving_html_is_refused_by_the_real_gateway(nurse, twilio_peer):
    twilio_peer.storage_type = "text/html"
    try:
        message = photo_message([MEDIA_URL])
        response = nurse.get(reverse("inbound-media", args=[message.pk, 0]))
    finally:
        twilio_peer.storage_type = "image/jpeg"
    assert response.status_code == 403
    assert b"text/html" in response.content
