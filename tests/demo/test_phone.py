"""The patient phone page: the thread of texts, and replies signed like Twilio's."""

import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import InboundMessage, OutboundMessage, Patient
from tests.conftest import log_in
from tests.demo.conftest import free_port
from tests.factories import make_enrolled_patient, make_patient, make_user

pytestmark = pytest.mark.usefixtures("demo_app")


def phone_url(patient: Patient) -> str:
    return reverse("demo-phone-patient", args=[patient.pk])


def outbound(patient: Patient, body: str, at: dt.datetime, **overrides) -> OutboundMessage:
    fields = {
        "patient": patient,
        "to": patient.phone,
        "body": body,
        "kind": OutboundMessage.Kind.QUESTION,
        "status": OutboundMessage.Status.ACCEPTED,
        "created_at": at,
    }
    fields.update(overrides)
    return OutboundMessage.objects.create(**fields)


def inbound(patient: Patient, body: str, at: dt.datetime) -> InboundMessage:
    return InboundMessage.objects.create(
        message_sid="SM" + uuid.uuid4().hex,
        from_number=patient.phone,
        body=body,
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        received_at=at,
    )


@pytest.fixture
def nurse_client(client, db):
    client.force_login(make_user())
    return client


@pytest.mark.parametrize("with_patient", [False, True])
def test_phone_pages_exist_only_in_demo_mode(nurse_client, settings, with_patient):
    url = phone_url(make_patient()) if with_patient else reverse("demo-phone")
    settings.DEMO_MODE = False
    assert nurse_client.get(url).status_code == 404
    assert nurse_client.post(url, {"body": "hello"}).status_code == 404
    settings.DEMO_MODE = True
    assert nurse_client.get(url).status_code == 200


def test_outside_demo_mode_anonymous_visitors_get_404_not_a_login_page(client, settings, db):
    settings.DEMO_MODE = False
    assert client.get(reverse("demo-phone")).status_code == 404
    settings.DEMO_MODE = True
    response = client.get(reverse("demo-phone"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_patient_list_shows_name_language_and_postop_day(nurse_client, demo_mode):
    patient, _ = make_enrolled_patient(first_name="Rosa", language="es")
    response = nurse_client.get(reverse("demo-phone"))
    page = response.content.decode()
    assert f'href="{phone_url(patient)}"' in page
    assert f"Rosa {patient.last_name}" in page
    assert f"Spanish · post-op day {patient.postop_day()}" in page


def test_thread_shows_texts_received_and_sent_oldest_first(nurse_client, demo_mode):
    patient = make_patient()
    start = timezone.now() - dt.timedelta(hours=1)
    outbound(patient, "How bad is your pain right now?", start)
    inbound(patient, "pain is about a 4 today", start + dt.timedelta(minutes=2))
    outbound(
        patient,
        "Call 911 now.",
        start + dt.timedelta(minutes=2),
        kind=OutboundMessage.Kind.SAFETY,
        status=OutboundMessage.Status.REPLIED,
    )
    outbound(patient, "Still queued here", start, status=OutboundMessage.Status.QUEUED)
    outbound(patient, "Never arrived", start, status=OutboundMessage.Status.FAILED)
    outbound(patient, "For someone else", start, to="+13125550177")

    page = nurse_client.get(phone_url(patient)).content.decode()

    question = page.index("How bad is your pain right now?")
    reply = page.index("pain is about a 4 today")
    safety = page.index("Call 911 now.")
    assert question < reply < safety
    assert re.search(r'class="bubble in">How bad is your pain', page)
    assert re.search(r'class="bubble out">pain is about a 4 today', page)
    assert "automatic safety reply" in page
    for hidden in ("Still queued here", "Never arrived", "For someone else"):
        assert hidden not in page


def test_thread_partial_has_the_texts_but_not_the_form(nurse_client, demo_mode):
    patient = make_patient()
    outbound(patient, "How are you feeling today?", timezone.now())
    response = nurse_client.get(phone_url(patient), {"partial": "thread"})
    page = response.content.decode()
    assert "How are you feeling today?" in page
    assert "<form" not in page
    assert "<html" not in page


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Type a message to send."),
        ("   ", "Type a message to send."),
        ("x" * 1601, "A text can be at most 1600 characters."),
    ],
)
def test_reply_form_rejects_empty_and_overlong_texts(nurse_client, demo_mode, body, error):
    patient = make_patient()
    response = nurse_client.post(phone_url(patient), {"body": body})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not InboundMessage.objects.exists()


def test_unreachable_webhook_is_reported_on_the_page_and_keeps_the_text(nurse_client, demo_mode):
    demo_mode.TWILIO_WEBHOOK_BASE_URL = f"http://127.0.0.1:{free_port()}"
    patient = make_patient()
    response = nurse_client.post(phone_url(patient), {"body": "is anyone there"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Could not reach the SMS webhook" in page
    assert "is anyone there</textarea>" in page
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_reply_through_the_page_reaches_the_signed_webhook(client, demo_mode, live_server):
    patient = make_patient(first_name="Ann")
    client.force_login(make_user())
    # The page posts to its own absolute URL, so it must be served from the live server's host.
    host = urlsplit(live_server.url).netloc

    response = client.post(
        phone_url(patient), {"body": "a little sore at the incision"}, HTTP_HOST=host
    )

    assert response.status_code == 302
    assert response.url == phone_url(patient)
    message = InboundMessage.objects.get()
    assert message.body == "a little sore at the incision"
    assert message.from_number == patient.phone
    assert message.to_number == demo_mode.TWILIO_FROM_NUMBER
    assert message.sender == InboundMessage.Sender.PATIENT
    assert message.patient == patient
    assert re.fullmatch(r"SM[0-9a-f]{32}", message.message_sid)
    thread = client.get(phone_url(patient), {"partial": "thread"}, HTTP_HOST=host)
    assert "a little sore at the incision" in thread.content.decode()


@pytest.mark.django_db(transaction=True)
def test_reply_is_signed_for_the_public_webhook_url_when_one_is_set(client, demo_mode, live_server):
    demo_mode.TWILIO_WEBHOOK_BASE_URL = live_server.url + "/"
    patient = make_patient()
    client.force_login(make_user())
    response = client.post(phone_url(patient), {"body": "no"})
    assert response.status_code == 302
    assert InboundMessage.objects.filter(from_number=patient.phone, body="no").count() == 1


@pytest.mark.django_db(transaction=True)
def test_webhook_error_answer_is_reported_on_the_page(client, demo_mode, live_server):
    demo_mode.TWILIO_WEBHOOK_BASE_URL = live_server.url + "/no-such-prefix"
    patient = make_patient()
    client.force_login(make_user())
    response = client.post(phone_url(patient), {"body": "hello"})
    assert response.status_code == 200
    assert "answered HTTP 404" in response.content.decode()
    assert not InboundMessage.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_new_texts_appear_without_wiping_a_half_typed_reply(
    browser, live_server, demo_mode
):
    make_user(username="pat")
    patient = make_patient(first_name="Ann")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    page.goto(live_server.url + phone_url(patient))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.fill("textarea[name=body]", "half typed")
    outbound(patient, "How bad is your pain right now?", timezone.now())
    page.locator(".bubble.in", has_text="How bad is your pain").wait_for(timeout=10000)
    assert page.input_value("textarea[name=body]") == "half typed"

    page.fill("textarea[name=body]", "about a 3")
    page.get_by_role("button", name="Send").click()
    page.locator(".bubble.out", has_text="about a 3").wait_for(timeout=10000)
    assert InboundMessage.objects.filter(patient=patient, body="about a 3").count() == 1
    assert page.input_value("textarea[name=body]") == ""
    context.close()
