"""The dashboard in a real Chromium: usable on a phone, loud when it stops being live."""

import pytest
from playwright.sync_api import expect

from followup import escalation as escalations
from followup.models import OutboundMessage, Severity, User
from tests import factories
from tests.conftest import log_in
from tests.factories import make_user
from tests.test_dashboard import make_escalation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _pat_works_for_every_team(monkeypatch):
    """Staff see only their care teams' patients: pat is on every team a test makes."""
    make_team = factories.make_team

    def make(**overrides):
        team = make_team(**overrides)
        team.members.add(*User.objects.filter(username="pat"))
        return team

    monkeypatch.setattr(factories, "make_team", make)


# The dashboard refreshes every 2 s; waits allow some slack for a busy machine.
WITHIN_ONE_REFRESH = 6000


def wait_for_a_refresh(page):
    """Return once a refresh started from now on has been applied.

    Refreshes never overlap, so the page asking again means its previous answer is on screen.
    """
    for _ in range(2):
        page.wait_for_event("request", lambda r: "/rows/" in r.url, timeout=10000)


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


def test_a_new_red_flag_reaches_a_watching_dashboard_within_seconds(page, live_server):
    make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    log_in(page, live_server.url, "pat")
    # Watching: refreshes that find nothing new are answered 304 and change nothing on screen.
    page.wait_for_event("response", lambda r: "/rows/" in r.url and r.status == 304, timeout=10000)
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    # One 2 s refresh and its rendering, with a second of slack.
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=3500)
    assert page.locator("article.escalation .patient").all_inner_texts() == ["Bea Soto", "Ana Ruiz"]
    assert page.locator("#severity-counts").inner_text() == "Emergency 1 · Urgent 1"


def test_show_more_brings_the_next_rows_and_keeps_them_live(page, live_server, monkeypatch):
    from followup import dashboard_lists

    make_user(username="pat")
    # The live server runs in this process: a short first screen keeps the test short.
    shown = 3
    monkeypatch.setattr(dashboard_lists, "SHOWN", shown)
    for n in range(shown + 2):
        make_escalation(first_name="Ana", last_name=f"Ruiz{n:03d}", minutes_ago=n)
    log_in(page, live_server.url, "pat")
    assert page.locator("article.escalation").count() == shown
    page.get_by_role("link", name=f"Show more escalations ({shown} of {shown + 2} shown)").click()
    expect(page.locator("article.escalation")).to_have_count(shown + 2)
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=WITHIN_ONE_REFRESH)
    # The refresh asks for as many rows as the nurse chose to see.
    expect(page.locator("article.escalation")).to_have_count(shown + 3)


def test_the_list_is_not_replaced_while_a_nurse_types_an_outcome(page, live_server):
    make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    log_in(page, live_server.url, "pat")
    page.get_by_text("Resolve…").click()
    page.fill("textarea[name=note]", "called, advised ED")
    wait_for_a_refresh(page)
    assert page.input_value("textarea[name=note]") == "called, advised ED"
    page.select_option("select[name=outcome]", "advised_ed")
    page.get_by_role("button", name="Resolve", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("text=No open escalations.").is_visible()


def test_a_new_emergency_appears_while_a_nurse_has_panels_open_and_a_note_typed(page, live_server):
    make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    log_in(page, live_server.url, "pat")
    card = page.locator("article.escalation", has_text="Ana Ruiz")
    card.get_by_text("History").click()
    card.get_by_text("Resolve…").click()
    card.locator("select[name=outcome]").select_option("advice")
    card.locator("textarea[name=note]").fill("called, advised rest")
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    OutboundMessage.objects.create(to="+17735550199", body="q", kind="question", status="failed")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=WITHIN_ONE_REFRESH)
    page.get_by_text("Messages not delivered").wait_for(timeout=WITHIN_ONE_REFRESH)
    # The emergency goes first, above the card she is working on.
    assert page.locator("article.escalation .patient").all_inner_texts() == ["Bea Soto", "Ana Ruiz"]
    assert card.locator("textarea[name=note]").input_value() == "called, advised rest"
    assert card.locator("select[name=outcome]").input_value() == "advice"
    assert card.locator("details.history").get_attribute("open") is not None
    assert card.locator("details.resolve").get_attribute("open") is not None
    assert page.evaluate("document.activeElement.name") == "note"


def test_a_nurse_is_told_when_a_colleague_acknowledges_then_resolves_her_card(browser, live_server):
    make_user(username="pat")
    colleague = make_user(username="cole")
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    card = page.locator("article.escalation", has_text="Ana Ruiz")
    card.get_by_text("Resolve…").click()
    card.locator("textarea[name=note]").fill("called, advised ED")

    escalations.acknowledge(e.pk, colleague)
    notice = card.locator(".notice")
    expect(notice).to_have_text(
        "Acknowledged by cole while you were working on it.", timeout=WITHIN_ONE_REFRESH
    )
    assert card.locator("textarea[name=note]").input_value() == "called, advised ED"

    escalations.resolve(e.pk, colleague, "advice")
    expect(notice).to_contain_text(
        "Resolved by cole while you were working on it: your note was not sent.",
        timeout=WITHIN_ONE_REFRESH,
    )
    assert card.locator("textarea[name=note]").input_value() == "called, advised ED"
    assert card.locator("details.resolve").get_attribute("open") is not None
    assert card.get_by_role("button", name="Resolve", exact=True).is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    notice.get_by_role("button", name="Remove").click()
    expect(card).to_have_count(0)
    context.close()


def test_the_title_counts_open_emergencies_as_they_come_and_go(page, live_server):
    make_user(username="pat")
    colleague = make_user(username="cole")
    first = make_escalation(Severity.EMERGENCY, first_name="Ana", last_name="Ruiz")
    make_escalation(Severity.URGENT, first_name="Cruz", last_name="Diaz")
    log_in(page, live_server.url, "pat")
    expect(page).to_have_title("(1) Escalations · Spine Follow-up")
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    expect(page).to_have_title("(2) Escalations · Spine Follow-up", timeout=WITHIN_ONE_REFRESH)
    escalations.acknowledge(first.pk, colleague)
    expect(page).to_have_title("(1) Escalations · Spine Follow-up", timeout=WITHIN_ONE_REFRESH)


RECORD_NOTIFICATIONS = """
window.shownNotifications = [];
const Real = window.Notification;
window.Notification = class extends Real {
  constructor(title, options) {
    super(title, options);
    window.shownNotifications.push({title, body: (options || {}).body || ""});
  }
};
"""


def test_a_new_emergency_is_announced_once_without_patient_details(browser, live_server):
    make_user(username="pat")
    context = browser.new_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    shown = "window.shownNotifications"

    make_escalation(Severity.EMERGENCY, first_name="Ana", last_name="Ruiz")
    page.locator("article.escalation", has_text="Ana Ruiz").wait_for(timeout=WITHIN_ONE_REFRESH)
    assert page.evaluate(shown) == []  # nobody opted in yet

    page.get_by_label("Sound and notification for new emergencies").check()
    page.reload()
    assert page.get_by_label("Sound and notification for new emergencies").is_checked()

    bea = make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto", mrn="MRN424242")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=WITHIN_ONE_REFRESH)
    page.wait_for_function(f"{shown}.length > 0")
    wait_for_a_refresh(page)
    notes = page.evaluate(shown)
    assert notes == [
        {"title": "New emergency", "body": "New emergency on the Spine Follow-up dashboard"}
    ]
    text = " ".join(notes[0].values())
    for detail in ("Bea", "Soto", "424242", bea.patient.phone[-4:], "numb"):
        assert detail not in text
    context.close()


# A hidden tab's own timers wake it at most once a minute: for this test, never.
HIDDEN_AND_THROTTLED = """
Object.defineProperty(document, "visibilityState", {get: () => "hidden"});
Object.defineProperty(document, "hidden", {get: () => true});
window.setInterval = () => 0;
window.setTimeout = () => 0;
"""


def test_a_hidden_tab_keeps_refreshing_from_its_worker(browser, live_server):
    make_user(username="pat")
    context = browser.new_context()
    context.add_init_script(HIDDEN_AND_THROTTLED)
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    assert page.evaluate("document.visibilityState") == "hidden"
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=WITHIN_ONE_REFRESH)
    context.close()


def test_without_a_worker_the_pages_own_timer_keeps_refreshing(browser, live_server):
    make_user(username="pat")
    context = browser.new_context()
    context.add_init_script("window.Worker = undefined;")
    page = context.new_page()
    log_in(page, live_server.url, "pat")
    make_escalation(first_name="Bea", last_name="Soto")
    page.locator("article.escalation", has_text="Bea Soto").wait_for(timeout=WITHIN_ONE_REFRESH)
    context.close()


def test_when_the_session_ends_the_dashboard_says_so_and_keeps_the_typed_note(page, live_server):
    from followup.signin import end_sessions

    pat = make_user(username="pat")
    make_escalation(first_name="Ana", last_name="Ruiz")
    log_in(page, live_server.url, "pat")
    page.get_by_text("Resolve…").click()
    page.fill("textarea[name=note]", "called, left a voicemail")
    assert end_sessions(pat) == 1
    warning = page.locator("#not-live")
    warning.wait_for(state="visible", timeout=WITHIN_ONE_REFRESH)
    assert "signed out" in warning.inner_text()
    # No reload: what she typed is still there for her to finish after signing in again.
    assert page.input_value("textarea[name=note]") == "called, left a voicemail"
    assert page.url == f"{live_server.url}/"
