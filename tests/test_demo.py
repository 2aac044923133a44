"""The demo: the patient phone page and its signed replies, seed_demo and run_demo."""

import datetime as dt
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

import triage
from followup.management.commands import run_demo
from followup.management.commands.seed_demo import DEMO_PASSWORD, PAST_REPLIES
from followup.models import (
    Answer,
    CareTeam,
    CheckIn,
    Enrollment,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Patient,
    Severity,
    Surgery,
    User,
)
from followup.phones import to_e164
from tests.conftest import log_in
from tests.factories import make_enrolled_patient, make_patient, make_user

BASE_DIR = Path(django_settings.BASE_DIR)


def phone_url(patient: Patient) -> str:
    return reverse("demo-phone-patient", args=[patient.pk])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
def demo_mode(settings):
    settings.DEMO_MODE = True
    return settings


@pytest.fixture
def nurse_client(client, db):
    client.force_login(make_user())
    return client


# The patient phone page


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


# seed_demo


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [User, CareTeam, Patient, Surgery, Enrollment, CheckIn]
    models += [OutboundMessage, InboundMessage, Answer, Escalation]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(demo_mode, db) -> str:
    return seed()


def test_seed_demo_twice_creates_nothing_new_and_prints_the_logins(seeded, client):
    first = counts()
    again = seed()
    assert counts() == first
    assert first["Patient"] == 20
    for output in (seeded, again):
        assert re.search(rf"nurse +/ {DEMO_PASSWORD}", output)
        assert re.search(rf"surgeon +/ {DEMO_PASSWORD}", output)
    assert client.login(username="nurse", password=DEMO_PASSWORD)
    assert client.login(username="surgeon", password=DEMO_PASSWORD)
    nurse = User.objects.get(username="nurse")
    assert nurse.is_staff and not nurse.is_superuser
    assert not nurse.has_perm("followup.change_user")


def test_seed_demo_makes_a_consistent_care_team_and_patients(seeded):
    team = CareTeam.objects.get(name="Lakeside Spine Center")
    team.full_clean()
    assert team.on_call.phone and team.backup.phone
    patients = list(Patient.objects.all())
    assert {p.language for p in patients} == {"en", "es"}
    assert all(to_e164(p.phone) == p.phone for p in patients)
    assert len({p.phone for p in patients}) == len(patients)
    days = sorted(p.postop_day() for p in patients)
    assert days[0] == 1
    assert days[-1] >= 60
    assert Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).count() == 20


def test_seed_demo_histories_have_questions_replies_and_answers(seeded):
    completed = CheckIn.objects.filter(status=CheckIn.Status.COMPLETED)
    assert completed.count() > 50
    for checkin in completed[:10]:
        assert checkin.messages.filter(kind=OutboundMessage.Kind.QUESTION).count() == len(
            checkin.questions
        )
        assert checkin.replies.count() == len(checkin.questions)
        assert checkin.answers.count() == len(checkin.questions)
        assert checkin.sent_at < timezone.now()
    assert Answer.objects.filter(pain_score__isnull=False).exists()
    assert InboundMessage.objects.filter(body__contains="dolor").exists()


def test_seed_demo_leaves_a_checkin_due_within_two_minutes(seeded):
    now = timezone.now()
    soon = CheckIn.objects.filter(
        status=CheckIn.Status.PENDING, due_at__gt=now, due_at__lte=now + dt.timedelta(minutes=2)
    )
    assert soon.count() == 1


def test_seed_demo_stores_a_text_from_an_unknown_number(seeded):
    unknown = InboundMessage.objects.get(sender=InboundMessage.Sender.UNKNOWN)
    assert unknown.patient is None
    assert unknown.processed_at is not None


@pytest.mark.skipif(not hasattr(triage, "evaluate"), reason="the triage package is not ready")
def test_seed_demo_opens_escalations_through_triage(seeded):
    open_ = Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
    by_mrn = {e.patient.mrn: e.severity for e in open_.select_related("patient")}
    assert by_mrn.get("DEMO0004") == Severity.EMERGENCY
    assert by_mrn.get("DEMO0008") == Severity.URGENT
    assert by_mrn.get("DEMO0010") == Severity.URGENT
    assert OutboundMessage.objects.filter(
        patient__mrn="DEMO0004",
        kind=OutboundMessage.Kind.SAFETY,
        status=OutboundMessage.Status.REPLIED,
    ).exists()


@pytest.mark.skipif(not hasattr(triage, "evaluate"), reason="the triage package is not ready")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_seeded_past_replies_are_what_triage_makes_of_them(lang):
    # History is written with a "no red flags" assessment; triage must agree with it.
    for question, replies in PAST_REPLIES[lang].items():
        for reply in replies:
            assessment = triage.evaluate(
                reply.format(pain=4), question=question, lang=lang, channel="sms"
            )
            assert assessment.severity == triage.Severity.NONE, reply
            assert not assessment.needs_review, reply
            assert assessment.pain_score == (4 if question == "pain" else None), reply


def test_seed_demo_refuses_outside_demo_mode(settings, db):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Patient.objects.exists()


# run_demo


@pytest.fixture
def no_children(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("run_demo started a process")

    monkeypatch.setattr(run_demo.subprocess, "Popen", refuse)


def test_run_demo_refuses_outside_demo_mode(settings, no_children):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("run_demo")


def test_run_demo_refuses_the_real_gateway(demo_mode, no_children):
    demo_mode.TWILIO_GATEWAY = "twilio"
    with pytest.raises(CommandError, match="fake gateway"):
        call_command("run_demo")


def test_run_demo_refuses_a_port_in_use(demo_mode, no_children):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CommandError, match="already in use"):
            call_command("run_demo", port=taken.getsockname()[1])


def python(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code])


def test_supervise_names_the_child_that_died_and_stop_all_ends_the_rest():
    children = {
        "sleeper": python("import time; time.sleep(60)"),
        "quitter": python("raise SystemExit(3)"),
    }
    try:
        assert run_demo.supervise(children, []) == "quitter"
        run_demo.stop_all(children, signal.SIGTERM)
        assert children["quitter"].returncode == 3
        assert children["sleeper"].returncode == -signal.SIGTERM
    finally:
        for child in children.values():
            child.kill()
            child.wait()


def test_supervise_returns_at_once_when_a_signal_arrived():
    children = {"sleeper": python("import time; time.sleep(60)")}
    try:
        assert run_demo.supervise(children, [signal.SIGINT]) is None
        run_demo.stop_all(children, signal.SIGINT)
        assert children["sleeper"].poll() is not None
    finally:
        children["sleeper"].kill()
        children["sleeper"].wait()


# run_demo end to end, on the SQLite database `make demo` uses


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    env = {**os.environ, "DEMO_MODE": "1", "TWILIO_GATEWAY": "fake"}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env.pop("DJANGO_ENV", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return env


def start_demo(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_demo", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_banner(demo: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        if url in line:
            return
        if not line and demo.poll() is not None:
            break
    pytest.fail(f"run_demo never printed {url}: {demo.stderr.read()}")


def processes_using(database_url: str) -> list[int]:
    """Live processes started with this DATABASE_URL (the demo's children)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"DATABASE_URL={database_url}".encode() in environ.split(b"\0") and state != "Z":
            found.append(int(proc.name))
    return found


def wait_until_gone(database_url: str, timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := processes_using(database_url)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
def test_run_demo_serves_the_app_and_ctrl_c_stops_both_processes(demo_env):
    port = free_port()
    demo = start_demo(demo_env, port)
    try:
        wait_for_banner(demo, f"http://127.0.0.1:{port}/")
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        assert len(processes_using(demo_env["DATABASE_URL"])) >= 3
        demo.send_signal(signal.SIGINT)
        out, err = demo.communicate(timeout=30)
        assert demo.returncode == 0, err
        assert "Stopping the demo (SIGINT)" in out
        assert wait_until_gone(demo_env["DATABASE_URL"]) == []
    finally:
        demo.kill()


@pytest.mark.slow
def test_run_demo_exits_and_says_so_when_the_web_server_dies(demo_env):
    port = free_port()
    demo = start_demo(demo_env, port)
    try:
        wait_for_banner(demo, f"http://127.0.0.1:{port}/")
        web = [
            pid
            for pid in processes_using(demo_env["DATABASE_URL"])
            if b"runserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(web) == 1
        os.kill(web[0], signal.SIGKILL)
        _, err = demo.communicate(timeout=30)
        assert demo.returncode == 1
        assert "The web server exited" in err
        assert wait_until_gone(demo_env["DATABASE_URL"]) == []
    finally:
        demo.kill()
