"""Assigning a protocol from the patient list in a real Chromium, on a phone and on a desktop."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from followup.defaults import DEFAULT_PROTOCOL
from followup.models import Enrollment, Protocol, User
from followup.protocols.services import StepSpec, save_new_version
from tests.conftest import log_in
from tests.factories import make_enrolled_patient, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [pytest.param((375, 812), id="phone"), pytest.param((1366, 768), id="desktop")]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_a_surgeon_ticks_two_patients_and_puts_them_on_the_new_version(browser, live_server, size):
    team = make_team(name="North")
    team.members.add(make_user(username="sam", role=User.Role.SURGEON))
    ticked = [
        make_enrolled_patient(first_name="Ana", last_name=name, care_team=team)
        for name in ("Abel", "Baker")
    ]
    _, left = make_enrolled_patient(first_name="Ana", last_name="Castro", care_team=team)
    v1 = Protocol.objects.get(name=DEFAULT_PROTOCOL, version=1)
    steps = [StepSpec(30, dt.time(9), "sms", ("pain",))]
    v2 = save_new_version(v1, steps, make_user(role=User.Role.SURGEON))

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server.url, "sam")
        page.goto(f"{live_server.url}/patients/")
        assert fits(page)
        for name in ("Abel, Ana", "Baker, Ana"):
            box = page.get_by_label(f"Tick {name}")
            assert box.bounding_box()["height"] >= 20
            box.check()
        page.get_by_label("Put the ticked patients on").select_option(
            label=f"{DEFAULT_PROTOCOL} · version 2"
        )
        page.get_by_role("button", name="Assign protocol").click()
        expect(page.locator(".flash")).to_have_text(
            f"Moved 2 patients to {DEFAULT_PROTOCOL} version 2."
        )
        assert fits(page)
        for _, enrollment in ticked:
            assert Enrollment.objects.get(pk=enrollment.pk).protocol == v2
        assert Enrollment.objects.get(pk=left.pk).protocol == v1

        page.goto(f"{live_server.url}/protocols/")
        versions = page.locator(f"[data-protocol='{v2.pk}'] .versions li")
        expect(versions.nth(0)).to_contain_text("Version 1: 1 active patient")
        expect(versions.nth(1)).to_contain_text("Version 2: 2 active patients · default")
        assert fits(page)
    finally:
        context.close()
