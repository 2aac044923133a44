"""The escalation archive and the reports page in a real Chromium, on a phone and on a desktop."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.models import Escalation, Severity
from tests.conftest import log_in
from tests.factories import make_patient, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [pytest.param((375, 812), id="phone"), pytest.param((1366, 768), id="desktop")]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def lead_page(browser, live_server, request):
    width, height = request.param
    team = make_team(name="North")
    team.members.add(make_user(username="lia"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "lia")
    yield page, team
    context.close()


def escalate(team, last_name, severity, findings, hours_ago):
    opened = timezone.now() - dt.timedelta(hours=hours_ago)
    return Escalation.objects.create(
        patient=make_patient(care_team=team, last_name=last_name),
        severity=severity,
        findings=findings,
        status=Escalation.Status.RESOLVED,
        opened_at=opened,
        acknowledged_at=opened + dt.timedelta(minutes=12),
        outcome=Escalation.Outcome.ADVICE,
    )


@pytest.mark.parametrize("lead_page", SIZES, indirect=True)
def test_the_archive_filters_by_finding_and_opens_the_patient(lead_page, live_server):
    page, team = lead_page
    target = escalate(team, "Vance", Severity.EMERGENCY, ["bladder"], 3)
    escalate(team, "Ortiz", Severity.URGENT, ["fever"], 5)
    page.get_by_role("link", name="Archive").click()
    rows = page.locator(".archive-rows li")
    expect(rows).to_have_count(2)
    page.get_by_label("Finding").select_option("bladder")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Loss of bladder control")
    expect(rows.first).to_contain_text("after 12 min")
    assert fits(page)
    rows.first.get_by_role("link", name="Vance, Maria").click()
    page.wait_for_url(f"{live_server.url}/patients/{target.patient_id}/")


@pytest.mark.parametrize("lead_page", SIZES, indirect=True)
def test_a_report_draws_its_charts_and_exports_its_csv(lead_page, live_server):
    page, team = lead_page
    escalate(team, "Vance", Severity.EMERGENCY, ["bladder"], 3)
    escalate(team, "Ortiz", Severity.URGENT, ["fever", "bladder"], 5)
    page.get_by_role("link", name="Reports").click()
    expect(page.locator('[data-figure="escalations"]')).to_have_text("2")
    expect(page.locator('[data-figure="median"]')).to_have_text("12 min")
    expect(page.locator("canvas[data-report-chart][data-drawn]")).to_have_count(3)
    assert fits(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("report-")
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert rows[0] == ["section", "item", "value"]
    assert ["finding", "Loss of bladder control", "2"] in rows
    href = page.get_by_role("link", name="Export CSV").get_attribute("href")
    fetched = page.request.get(live_server.url + href)
    assert fetched.headers["content-type"] == "text/csv; charset=utf-8"
    assert ["summary", "escalations", "2"] in list(csv.reader(io.StringIO(fetched.text())))
