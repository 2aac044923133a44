"""The patients list and the import page in a real Chromium, on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from followup.models import User
from tests.conftest import log_in
from tests.factories import make_patient, make_team, make_user
from tests.test_patient_import import csv_text, line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [pytest.param((375, 812), id="phone"), pytest.param((1366, 768), id="desktop")]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def nurse_page(browser, live_server, request):
    width, height = request.param
    team = make_team(name="North")
    team.members.add(make_user(username="pat"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "pat")
    yield page, team
    context.close()


@pytest.mark.parametrize("nurse_page", SIZES, indirect=True)
def test_a_name_typed_without_accents_finds_the_patient_and_opens_the_page(nurse_page, live_server):
    page, team = nurse_page
    jose = make_patient(first_name="José", last_name="García", care_team=team)
    make_patient(first_name="Ann", last_name="Baker", care_team=team)
    page.get_by_role("link", name="Patients").click()
    page.get_by_label("Name, MRN or phone").fill("jose garcia")
    page.get_by_role("button", name="Search").click()
    rows = page.locator(".patient-rows li")
    expect(rows).to_have_count(1)
    assert fits(page)
    call = rows.locator("a.tel")
    assert call.get_attribute("href") == f"tel:{jose.phone}"
    assert call.bounding_box()["height"] >= 40  # a finger-sized target
    rows.get_by_role("link", name="García, José").click()
    page.wait_for_url(f"{live_server.url}/patients/{jose.pk}/")
    expect(page.locator("h1")).to_have_text("José García")


@pytest.mark.parametrize("nurse_page", SIZES, indirect=True)
def test_a_csv_with_one_bad_row_gets_a_row_by_row_report(nurse_page, live_server, tmp_path):
    page, team = nurse_page
    team.members.add(make_user(username="drpatel", role=User.Role.SURGEON))
    path = tmp_path / "patients.csv"
    path.write_text(csv_text(line(), line(mrn="MRN100002", phone="12")))
    page.goto(f"{live_server.url}/patients/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-counts")).to_contain_text(
        "1 new, 0 unchanged, 0 changed, 1 invalid"
    )
    bad = page.locator("tr.invalid")
    expect(bad).to_contain_text("3")
    expect(bad).to_contain_text("not a valid phone number")
    assert fits(page)
    page.get_by_label("Skip the 1 invalid row").check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("1 enrolled")
