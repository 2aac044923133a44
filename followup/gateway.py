"""The only module that talks to Twilio: the real REST client, or a fake that records."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Protocol, cast
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from followup.phones import mask

log = logging.getLogger(__name__)

# Call progress events the status callback receives; the final one settles the attempt.
CALL_EVENTS = ["initiated", "ringing", "answered", "completed"]

# Everything the fake gateway would have sent, oldest first (like django.core.mail.outbox).
outbox: list[dict[str, Any]] = []
_outbox_lock = threading.Lock()


class TransportError(Exception):
    """A send that failed; `permanent` says whether retrying can help.

    `uncertain` means Twilio may have accepted the message (a timeout or a 5xx), so it must be
    looked up before any resend.
    """

    def __init__(
        self, message: str, *, permanent: bool, code: int | None = None, uncertain: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code
        self.uncertain = uncertain


@dataclass(frozen=True)
class Receipt:
    """What Twilio answered when it accepted a message."""

    sid: str
    status: str


# A patient's photo, fetched for staff: only these types are ever served (never SVG or HTML).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"})
# Twilio accepts at most 5 MB of media with one message.
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_MEDIA_REDIRECTS = 3
MEDIA_PATH = re.compile(
    r"/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages/(SM|MM)[0-9a-fA-F]{32}"
    r"/Media/ME[0-9a-fA-F]{32}"
)


class MediaRefused(Exception):
    """Media that is not opened: not our account's Twilio media, or not a photo."""


@dataclass(frozen=True)
class Media:
    content_type: str
    content: bytes


def is_media_url(url: str, account_sid: str) -> bool:
    """Whether `url` is a media item of our own Twilio account, exactly as Twilio writes it."""
    parts = urlsplit(url)
    match = MEDIA_PATH.fullmatch(parts.path)
    return (
        parts.scheme == "https"
        and parts.netloc == "api.twilio.com"
        and not parts.query
        and not parts.fragment
        and match is not None
        and match["account"] == account_sid
    )


class MediaSession(Protocol):
    """What fetching media needs of requests.Session."""

    def get(self, url: str, **kwargs: Any) -> requests.Response: ...


class Gateway(Protocol):
    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> Receipt: ...

    def make_call(
        self,
        to: str,
        url: str,
        *,
        status_callback: str | None = None,
        machine_detection: bool = False,
    ) -> Receipt: ...

    def find_sms(self, to: str, body: str, *, since: datetime) -> list[Receipt]: ...

    def fetch_media(self, url: str) -> Media: ...


class TwilioGateway:
    """Sends through twilio's REST client; every failure becomes a TransportError."""

    def __init__(
        self,
        client: Client,
        from_number: str = "",
        messaging_service_sid: str = "",
        media_session: MediaSession | None = None,
        api_url: str = "",
    ):
        self.client = client
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.media_session = media_session or cast(MediaSession, requests.Session())
        self.api_url = api_url.rstrip("/")

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> Receipt:
        """Hand one SMS to Twilio and return its SID and first status."""
        sender: dict[str, str] = (
            {"messaging_service_sid": self.messaging_service_sid}
            if self.messaging_service_sid
            else {"from_": self.from_number}
        )
        with _translated_errors():
            message = self.client.messages.create(
                to=to, body=body, status_callback=status_callback, **sender
            )
        log.info("sms to %s accepted as %s", mask(to), message.sid)
        return Receipt(sid=str(message.sid), status=str(message.status))

    def make_call(
        self,
        to: str,
        url: str,
        *,
        status_callback: str | None = None,
        machine_detection: bool = False,
    ) -> Receipt:
        """Start a voice call whose TwiML Twilio fetches from `url`.

        With `machine_detection`, Twilio tells the TwiML request whether a person or a machine
        answered (AnsweredBy), so a voicemail never hears health information.
        """
        with _translated_errors():
            call = self.client.calls.create(
                to=to,
                from_=self.from_number,
                url=url,
                method="POST",
                status_callback=status_callback,
                status_callback_method="POST" if status_callback else None,
                status_callback_event=CALL_EVENTS if status_callback else None,
                machine_detection="Enable" if machine_detection else None,
            )
        log.info("call to %s accepted as %s", mask(to), call.sid)
        return Receipt(sid=str(call.sid), status=str(call.status))

    def find_sms(self, to: str, body: str, *, since: datetime) -> list[Receipt]:
        """Twilio's records of texts with this body to `to`, created at or after `since`.

        Used after a send whose outcome is unknown, so it is resent only if Twilio never got it.
        Every match is returned: telling them apart is the caller's business.
        """
        since = since.astimezone(UTC)
        with _translated_errors():
            # Newest first. No DateSent filter: a text still queued at Twilio has no sent date
            # and would be missed, then sent twice; the creation time decides instead.
            recent = self.client.messages.list(to=to, limit=50)
        return [
            Receipt(sid=str(message.sid), status=str(message.status))
            for message in recent
            if message.body == body
            and message.date_created is not None
            and message.date_created >= since
        ]

    def fetch_media(self, url: str) -> Media:
        """A photo a patient sent, from our own account's Twilio media only.

        Twilio answers with a redirect to its storage; the account's credentials go to Twilio
        alone and never follow a redirect. Anything but an image type is refused.
        """
        if not is_media_url(url, self.client.account_sid):
            raise MediaRefused("not a media item of this clinic's Twilio account")
        target = self.api_url + urlsplit(url).path if self.api_url else url
        # Staging and contract tests may run a plain-http peer; production is https only.
        schemes = {"https", urlsplit(target).scheme}
        auth: tuple[str, str] | None = (self.client.username, self.client.password)
        with _translated_errors():
            for _ in range(MAX_MEDIA_REDIRECTS + 1):
                response = self.media_session.get(
                    target, auth=auth, allow_redirects=False, timeout=10, stream=True
                )
                if not response.is_redirect:
                    break
                target = urljoin(target, response.headers["Location"])
                auth = None
                if urlsplit(target).scheme not in schemes:
                    raise MediaRefused("Twilio redirected the photo to an insecure address")
            else:
                raise MediaRefused("too many redirects")
            if response.status_code != 200:
                raise TransportError(
                    f"Twilio answered {response.status_code} for the photo",
                    permanent=400 <= response.status_code < 500,
                    code=response.status_code,
                )
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type not in IMAGE_TYPES:
                raise MediaRefused(f"not a photo ({content_type[:60] or 'no type given'})")
            content = b""
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > MAX_MEDIA_BYTES:
                    raise MediaRefused("larger than Twilio's 5 MB limit")
        return Media(content_type, content)


@contextlib.contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except TwilioRestException as exc:
        raise _rest_error(exc) from exc
    except requests.exceptions.ConnectionError as exc:
        if isinstance(exc, requests.exceptions.ConnectTimeout | requests.exceptions.SSLError):
            raise TransportError(f"cannot connect to Twilio: {exc}", permanent=False) from exc
        # A dropped connection may have come after Twilio accepted the request.
        raise TransportError(
            f"connection to Twilio failed: {exc}", permanent=False, uncertain=True
        ) from exc
    except requests.exceptions.Timeout as exc:
        raise TransportError(
            f"Twilio did not answer in time: {exc}", permanent=False, uncertain=True
        ) from exc


def _rest_error(exc: TwilioRestException) -> TransportError:
    code = int(exc.code) if exc.code is not None else exc.status
    if exc.status >= 500:
        # Twilio may have queued the message before failing; never resend blindly.
        return TransportError(exc.msg, permanent=False, code=code, uncertain=True)
    if exc.status == 429 or code == 20429:
        return TransportError(exc.msg, permanent=False, code=code)
    # Any other 4xx rejects the request itself (bad number, opted out): resending cannot help.
    return TransportError(exc.msg, permanent=True, code=code)


class RebasedHttpClient(TwilioHttpClient):
    """Sends every Twilio REST call to another base URL (a contract-test mock, a staging peer)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.base_url + url[len(f"{parts.scheme}://{parts.netloc}") :]
        return super().request(method, url, *args, **kwargs)


class FakeTwilioHttpClient(HttpClient):
    """Answers as Twilio's REST API would, and records each message instead of sending it."""

    RESOURCE = re.compile(
        r"/2010-04-01/Accounts/(?P<account>AC\w+)/(?P<kind>Messages|Calls)\.json$"
    )

    def __init__(self, outbox_file: str = "") -> None:
        super().__init__(log, False, None)
        self.outbox_file = outbox_file

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        match = self.RESOURCE.search(urlsplit(uri).path)
        if method.upper() == "GET" and match is not None and match["kind"] == "Messages":
            return self._list_messages(match["account"], params or {})
        if method.upper() != "POST" or match is None or not data:
            return _error_response(404, 20404, "The requested resource was not found")
        form = {key: str(value) for key, value in data.items()}
        if "To" not in form or not ("From" in form or "MessagingServiceSid" in form):
            return _error_response(400, 21604, "A 'To' and a 'From' phone number are required.")
        call = match["kind"] == "Calls"
        record = {
            "at": datetime.now(UTC).isoformat(),
            "sid": ("CA" if call else "SM") + uuid.uuid4().hex,
            "kind": "call" if call else "sms",
            "to": form["To"],
            "from": form.get("From", ""),
            "messaging_service_sid": form.get("MessagingServiceSid", ""),
            "body": form.get("Body", ""),
            "url": form.get("Url", ""),
            "status_callback": form.get("StatusCallback", ""),
        }
        with _outbox_lock:
            outbox.append(record)
            if self.outbox_file:
                with open(self.outbox_file, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record) + "\n")
        resource = _call_resource if call else _message_resource
        return Response(201, json.dumps(resource(match["account"], record)))

    def _list_messages(self, account_sid: str, params: dict[str, object]) -> Response:
        with _outbox_lock:
            sent = outbox
            if self.outbox_file and os.path.exists(self.outbox_file):
                # Twilio's records outlive the process that sent them: a worker killed after a
                # send must find it from the next one.
                with open(self.outbox_file, encoding="utf-8") as fh:
                    sent = [json.loads(line) for line in fh if line.endswith("\n")]
            records = [
                r for r in reversed(sent) if r["kind"] == "sms" and r["to"] == params.get("To")
            ]
        return Response(200, json.dumps(_message_page(account_sid, records)))


def _whole_seconds(iso: str) -> datetime:
    # Twilio keeps its times to the second.
    return datetime.fromisoformat(iso).replace(microsecond=0)


def _message_page(account_sid: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    uri = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
    return {
        "messages": [_message_resource(account_sid, record, sent=True) for record in records],
        "end": max(len(records) - 1, 0),
        "first_page_uri": f"{uri}?PageSize=50&Page=0",
        "next_page_uri": None,
        "page": 0,
        "page_size": 50,
        "previous_page_uri": None,
        "start": 0,
        "uri": uri,
    }


def _message_resource(
    account_sid: str, record: dict[str, Any], sent: bool = False
) -> dict[str, Any]:
    """A Message as Twilio shows it: as it was created, or (`sent`) once the fake has sent it.

    The fake sends at once, in the second it created the message.
    """
    created = format_datetime(_whole_seconds(record["at"]), usegmt=True)
    # A Messaging Service "accepts" a text before it picks the number that sends it.
    created_status = "queued" if record["from"] else "accepted"
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": record["body"],
        "date_created": created,
        "date_updated": created,
        "date_sent": created if sent else None,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": record["from"] or None,
        "messaging_service_sid": record["messaging_service_sid"] or None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": record["sid"],
        "status": "sent" if sent else created_status,
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/"},
        "to": record["to"],
        "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{record['sid']}.json",
    }


def _call_resource(account_sid: str, record: dict[str, Any]) -> dict[str, Any]:
    now = format_datetime(datetime.now(UTC), usegmt=True)
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "date_created": now,
        "date_updated": now,
        "direction": "outbound-api",
        "from": record["from"],
        "from_formatted": record["from"],
        "sid": record["sid"],
        "status": "queued",
        "to": record["to"],
        "to_formatted": record["to"],
        "uri": f"/2010-04-01/Accounts/{account_sid}/Calls/{record['sid']}.json",
    }


def _error_response(status: int, code: int, message: str) -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return Response(status, json.dumps(body))


# Photos the fake gateway serves, by media URL; any other media item is a small PNG.
fake_media: dict[str, tuple[str, bytes]] = {}
# The smallest valid PNG: one transparent pixel.
FAKE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082"
)
FAKE_STORAGE = "https://s3-external-1.amazonaws.com/media.twiliocdn.com"


class FakeMediaSession:
    """Answers media requests as Twilio does: a redirect to signed storage, which then refuses
    a request that also carries the account's credentials (S3 allows one auth mechanism)."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.credentials = (account_sid, auth_token)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        auth = kwargs.get("auth")
        path = urlsplit(url).path
        if url.startswith(FAKE_STORAGE + "/"):
            if auth is not None:
                return _raw_response(400, "application/xml", b"<Error><Code>InvalidArgument")
            original = "https://api.twilio.com" + path[len(urlsplit(FAKE_STORAGE).path) :]
            return _raw_response(200, *fake_media.get(original, ("image/png", FAKE_PNG)))
        if not MEDIA_PATH.fullmatch(path):
            return _raw_response(404, "application/json", b'{"code": 20404, "status": 404}')
        if auth != self.credentials:
            return _raw_response(401, "application/json", b'{"code": 20003, "status": 401}')
        response = _raw_response(307, "text/html", b"")
        response.headers["Location"] = f"{FAKE_STORAGE}{path}?X-Amz-Signature=fake"
        return response


def _raw_response(status: int, content_type: str, content: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers["Content-Type"] = content_type
    response.raw = io.BytesIO(content)
    return response


def build_client(http_client: HttpClient | None = None) -> Client:
    """A twilio REST client for the configured account, optionally over another transport."""
    if http_client is None and settings.TWILIO_API_URL:
        http_client = RebasedHttpClient(settings.TWILIO_API_URL, timeout=10)
    elif http_client is None:
        http_client = TwilioHttpClient(timeout=10)
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def get_gateway() -> Gateway:
    """The gateway chosen by settings.TWILIO_GATEWAY."""
    if settings.TWILIO_GATEWAY == "twilio":
        client = build_client()
    elif settings.TWILIO_GATEWAY == "fake":
        client = build_client(FakeTwilioHttpClient(settings.TWILIO_FAKE_OUTBOX))
        return TwilioGateway(
            client,
            settings.TWILIO_FROM_NUMBER,
            settings.TWILIO_MESSAGING_SERVICE_SID,
            media_session=FakeMediaSession(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
        )
    else:
        raise ValueError(f"TWILIO_GATEWAY={settings.TWILIO_GATEWAY!r}: use twilio or fake")
    return TwilioGateway(
        client,
        settings.TWILIO_FROM_NUMBER,
        settings.TWILIO_MESSAGING_SERVICE_SID,
        api_url=settings.TWILIO_API_URL,
    )
