"""The patient page in a real Chromium, on a phone and at a desk: read, text, note."""

import pytest
from playwright.sync_api import expect

from followup import tasks
from followup.models import InboundMessage, OutboundMessage, StaffNote
from tests.conftest import log_in
from tests.factories import make_enrolled_patient, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1366, 768)])
def test_a_nurse_reads_the_timeline_texts_the_patient_and_adds_a_note(
    browser, live_server, monkeypatch, outbox, width, height
):
    team = make_team(name="North Spine")
    team.members.add(make_user(username="pat"))
    patient, _ = make_enrolled_patient(care_team=team, first_name="Ana", last_name="Ruiz")
    InboundMessage.objects.create(
        message_sid="SM" + "5" * 32,
        from_number=patient.phone,
        body="the wound is a bit red today",
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        assessment={"findings": [], "severity": "none"},
    )
    # The worker's send task, run at once in the server's thread through the fake gateway.
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda name, pk, **options: tasks.send_message(pk)
    )
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("the wound is a bit red today")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.fill("textarea[name=body]", "Please send a photo of the wound")
    send = page.get_by_role("button", name="Send text")
    assert send.bounding_box()["height"] >= 40  # a finger-sized target
    send.click()
    expect(page.locator(".flash")).to_contain_text("Text queued for sending")
    expect(timeline).to_contain_text("Please send a photo of the wound")
    assert [(m["to"], m["body"]) for m in outbox] == [
        (patient.phone, "Please send a photo of the wound")
    ]
    sent = OutboundMessage.objects.get(kind=OutboundMessage.Kind.OTHER)
    assert sent.status == OutboundMessage.Status.ACCEPTED

    page.select_option("select[name=kind]", "call")
    page.fill("textarea[name=text]", "Called her: she will send a photo")
    page.get_by_role("button", name="Add to the record").click()
    expect(timeline).to_contain_text("Call made by pat")
    expect(timeline).to_contain_text("Called her: she will send a photo")
    assert StaffNote.objects.get().kind == StaffNote.Kind.CALL

    page.get_by_role("link", name="Notes", exact=True).click()
    expect(timeline).to_contain_text("Called her: she will send a photo")
    expect(timeline).not_to_contain_text("the wound is a bit red today")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
