"""Enrolling in a real Chromium, on a phone and on a desktop; the pain chart drawn."""

import datetime as dt
import zoneinfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.conf import Conf

from followup.models import Answer, InboundMessage, OutboundMessage, Patient, User
from tests.conftest import log_in
from tests.factories import daytime, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Scripts added by hand run like the page's own: the partial's, for a page not yet including it.
ADD_CHART = """html => {
  const box = document.createElement("div");
  box.innerHTML = html;
  const scripts = [...box.querySelectorAll("script")];
  scripts.forEach(s => s.remove());
  document.querySelector("main").append(box);
  const load = i => {
    if (i >= scripts.length) return;
    const s = document.createElement("script");
    s.src = scripts[i].src;
    s.onload = () => load(i + 1);
    document.body.append(s);
  };
  load(0);
}"""


@pytest.fixture(autouse=True)
def _tasks_inline(monkeypatch):
    # The welcome's send task runs in the server thread, as the worker would after commit.
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.mark.parametrize("width", [375, 1366])
def test_a_nurse_enrolls_a_patient_and_the_welcome_goes_out(browser, live_server, outbox, width):
    team = make_team(name="Spine North")
    team.members.add(make_user(username="pat"))
    team.members.add(make_user(username="dr_sam", role=User.Role.SURGEON))
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/patients/new/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("input[name=first_name]", "Rosa")
    page.fill("input[name=last_name]", "Vega")
    page.fill("input[name=date_of_birth]", "1958-03-14")
    page.fill("input[name=mrn]", f"MRN{width}")
    page.fill("input[name=phone]", "(312) 555-0142")
    # Where it is midday: in the patient's quiet hours the welcome would wait for the morning.
    awake = daytime()
    page.fill("input[name=time_zone]", awake["time_zone"])
    page.fill("input[name=surgery_date]", awake["surgery"]["date"].isoformat())
    page.fill("input[name=levels]", "L4-L5")
    page.select_option("select[name=surgeon]", label="dr_sam")
    page.check("input[name=consent][value=yes]")
    page.select_option("select[name=consent_method]", "in_person")
    # As the clock shows it where the patient lives.
    when = timezone.localtime(timezone=zoneinfo.ZoneInfo(awake["time_zone"])) - dt.timedelta(
        minutes=5
    )
    page.fill("input[name=consent_at]", when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Preview").click()
    assert "Spine North" in page.locator("#welcome-text").inner_text()
    assert not Patient.objects.exists()
    enroll = page.get_by_role("button", name="Enroll")
    assert enroll.bounding_box()["height"] >= 40  # a finger-sized target
    enroll.click()
    patient = Patient.objects.get(mrn=f"MRN{width}")
    page.wait_for_url(f"{live_server.url}/patients/{patient.pk}/")
    welcome = OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME)
    assert welcome.status == OutboundMessage.Status.ACCEPTED
    assert [m["to"] for m in outbox] == ["+13125550142"]
    context.close()


@pytest.mark.parametrize("width", [375, 1366])
def test_the_pain_chart_is_drawn_from_its_json(browser, live_server, width):
    from tests.factories import make_patient, make_surgery

    team = make_team(name="Spine North")
    team.members.add(make_user(username="pat"))
    patient = make_patient(care_team=team)
    make_surgery(patient, date=timezone.localdate() - dt.timedelta(days=5))
    for day, score in ((1, 8), (3, 5)):
        message = InboundMessage.objects.create(
            message_sid=f"SM{day:032d}", from_number=patient.phone, body="x", patient=patient
        )
        Answer.objects.create(
            patient=patient,
            message=message,
            question="pain",
            pain_score=score,
            created_at=timezone.now() - dt.timedelta(days=5 - day),
        )
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "pat")
    # Listening from before the page loads: its script may fetch the data before goto returns.
    with page.expect_response(lambda r: r.url.endswith("/chart.json")) as fetched:
        page.goto(f"{live_server.url}/patients/{patient.pk}/")
        if page.locator("canvas[data-pain-chart]").count() == 0:
            partial = render_to_string("patients/_chart.html", {"patient": patient})
            page.evaluate(ADD_CHART, partial)
    assert fetched.value.status == 200
    canvas = page.locator("canvas[data-pain-chart]")
    page.wait_for_selector("canvas[data-pain-chart][data-drawn='1']")
    assert canvas.get_attribute("data-points") == "2"
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
