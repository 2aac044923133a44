"""The dashboard in a real Chromium: usable on a phone, loud when it stops being live."""

import pytest

from tests.conftest import log_in
from tests.factories import make_user
from tests.test_dashboard import make_escalation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_dashboard_fits_and_can_be_acted_on(browser, live_server):
    make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button = page.get_by_role("button", name="Acknowledge")
    box = button.bounding_box()
    assert box["height"] >= 40  # a finger-sized target
    button.click()
    page.wait_for_url(f"{live_server.url}/")
    assert "acknowledged by pat" in page.locator("article.escalation").inner_text()
    context.close()


def test_failing_refreshes_show_a_not_live_warning_and_recover(page, live_server):
    make_user(username="pat")
    log_in(page, live_server.url, "pat")
    warning = page.locator("#not-live")
    assert warning.is_hidden()
    page.route("**/rows/", lambda route: route.abort())
    warning.wait_for(state="visible", timeout=10000)
    assert "NOT LIVE" in warning.inner_text()
    page.unroute("**/rows/")
    warning.wait_for(state="hidden", timeout=10000)
    assert page.locator("#live-status").inner_text().startswith("Live · updated")


def test_a_new_escalation_appears_without_reloading(page, live_server):
    make_user(username="pat")
    log_in(page, live_server.url, "pat")
    make_escalation(first_name="Bea", last_name="Soto")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=10000)


def test_the_list_is_not_replaced_while_a_nurse_types_an_outcome(page, live_server):
    make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    log_in(page, live_server.url, "pat")
    page.get_by_text("Resolve…").click()
    page.fill("textarea[name=note]", "called, advised ED")
    page.wait_for_timeout(5000)  # longer than one refresh interval
    assert page.input_value("textarea[name=note]") == "called, advised ED"
    page.select_option("select[name=outcome]", "advised_ed")
    page.get_by_role("button", name="Resolve", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("text=No open escalations.").is_visible()
