"""Protocol editing in a real Chromium, at phone width: edit, preview, save, move patients."""

import zoneinfo

import pytest

from followup.defaults import DEFAULT_PROTOCOL
from followup.models import CheckIn, User
from tests.conftest import log_in
from tests.factories import make_enrolled_patient, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_surgeon_edits_the_default_previews_saves_and_moves_patients(page, live_server):
    sam = make_user(username="sam", role=User.Role.SURGEON)
    patient, enrollment = make_enrolled_patient(time_zone="America/Chicago")
    # A surgeon moves the patients of her own teams.
    patient.care_team.members.add(sam)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "sam")

    page.goto(f"{live_server.url}/protocols/")
    page.get_by_role("link", name=DEFAULT_PROTOCOL).click()
    page.get_by_role("link", name="Edit", exact=True).click()
    assert fits(page)
    day90 = page.locator("fieldset.step", has_text="Step: day 90")
    day90.get_by_label("Local time").fill("14:30")
    day90.get_by_label("Fever or incision problems").uncheck()
    page.get_by_label("Sample surgery date").fill("2026-06-01")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    preview.wait_for()
    assert "Day 90: Sun 30 Aug 2026 14:30 CDT" in preview.inner_text()
    assert "¿Qué tanto dolor tiene ahora" in preview.inner_text()
    assert fits(page)

    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_text("1 active patient is still on older versions").wait_for()
    page.get_by_role("button", name="Move 1 patient").click()
    page.get_by_text("Moved 1 patient to version 2").wait_for()

    enrollment.refresh_from_db()
    assert enrollment.protocol.version == 2
    checkin = enrollment.checkins.exclude(status=CheckIn.Status.CANCELLED).get(step__postop_day=90)
    assert checkin.step.protocol == enrollment.protocol
    assert checkin.due_at.astimezone(CHICAGO).strftime("%H:%M") == "14:30"
    assert "wound_fever" not in checkin.questions
