"""Protocol pages: validation, versioned saves, moving patients, previews and who may edit."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages

from followup.defaults import DEFAULT_DAYS, DEFAULT_PROTOCOL, DEFAULT_QUESTIONS
from followup.models import AuditEvent, CheckIn, Enrollment, Protocol, ProtocolStep, User
from followup.protocols.services import StepSpec, move_enrollments, save_new_version, steps_of
from followup.scheduling import enroll, set_enrollment_status
from followup.wording import render_message
from tests import factories
from tests.factories import make_enrolled_patient, make_patient, make_surgery, make_user
from tests.test_dashboard import member_of_new_teams

pytestmark = [pytest.mark.django_db]

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # 07:00 in Chicago
SURGERY = dt.date(2026, 5, 29)  # so June 1 is post-op day 3


def default() -> Protocol:
    return Protocol.objects.get(name=DEFAULT_PROTOCOL, version=1)


def default_steps() -> list[dict]:
    return [
        {
            "postop_day": step.postop_day,
            "send_time": f"{step.send_time:%H:%M}",
            "channel": step.channel,
            "questions": list(step.questions),
        }
        for step in default().steps.all()
    ]


def form_data(steps: list[dict], action: str = "save", **extra) -> dict:
    data = {
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "366",
        "action": action,
        "sample_surgery_date": "2026-06-01",
        "sample_time_zone": "America/Chicago",
    }
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{i}-{key}"] = value
    data.update(extra)
    return data


def text(response) -> str:
    """The page's words without tags, so assertions read like what a person sees."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def live_checkins(enrollment: Enrollment):
    return enrollment.checkins.exclude(status=CheckIn.Status.CANCELLED).order_by("due_at")


def snapshot(enrollment: Enrollment) -> list[tuple]:
    return list(enrollment.checkins.order_by("pk").values_list("pk", "step_id", "status", "due_at"))


def colleague_saves(protocol: Protocol, at: dt.time = dt.time(9), surgeon=None) -> Protocol:
    """Another surgeon saves a one-step version after `protocol`."""
    surgeon = surgeon or make_user(role=User.Role.SURGEON)
    return save_new_version(protocol, [StepSpec(1, at, "sms", ("pain",))], surgeon)


@pytest.fixture
def surgeon_client(client, monkeypatch):
    client.user = make_user(username="dr_ortiz", role=User.Role.SURGEON)
    # A surgeon moves only the patients of her teams: this one is on every team a test makes.
    monkeypatch.setattr(factories, "make_team", member_of_new_teams(client.user))
    client.force_login(client.user)
    return client


@pytest.fixture
def nurse_client(client):
    client.user = make_user(username="nina", role=User.Role.NURSE)
    client.force_login(client.user)
    return client


def edit_url(protocol: Protocol) -> str:
    return f"/protocols/{protocol.pk}/edit/"


def move_url(protocol: Protocol) -> str:
    return f"/protocols/{protocol.pk}/move/"


def test_protocol_pages_require_login(client):
    for url in ("/protocols/", f"/protocols/{default().pk}/", edit_url(default())):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_the_list_shows_latest_version_owner_and_active_patients_per_version(
    nurse_client, monkeypatch
):
    # Counts are of the nurse's teams' patients: she works for every team made here.
    monkeypatch.setattr(factories, "make_team", member_of_new_teams(nurse_client.user))
    surgeon = make_user(first_name="Ana", last_name="Ortiz", role=User.Role.SURGEON)
    make_enrolled_patient()
    make_enrolled_patient()
    _, paused = make_enrolled_patient()
    set_enrollment_status(paused, Enrollment.Status.PAUSED)
    v2 = colleague_saves(default(), surgeon=surgeon)
    patient = make_patient()
    enroll(patient, make_surgery(patient), v2)

    page = text(nurse_client.get("/protocols/"))
    assert (
        f"{DEFAULT_PROTOCOL} latest version 2 · owner Ana Ortiz · default for new enrollments"
        in page
    )
    # The paused patient is not active, so version 1 counts two.
    assert "Version 1: 2 active patients" in page
    assert "Version 2: 1 active patient" in page
    assert "New protocol" not in page  # nurses only look


def test_new_protocol_starts_from_the_default_steps_and_saves_as_version_1(surgeon_client):
    response = surgeon_client.get("/protocols/new/")
    assert [step["postop_day"] for step in response.context["formset"].initial] == DEFAULT_DAYS
    assert response.context["name_form"]["name"].value() == ""

    steps = default_steps()[:3]
    steps[1]["channel"] = "voice"
    response = surgeon_client.post("/protocols/new/", form_data(steps, name="Cervical fusion"))

    protocol = Protocol.objects.get(name="Cervical fusion")
    assert response.status_code == 302
    assert response.url == f"/protocols/{protocol.pk}/"
    assert (protocol.version, protocol.owner, protocol.is_default) == (
        1,
        surgeon_client.user,
        False,
    )
    assert [(s.postop_day, s.channel) for s in protocol.steps.all()] == [
        (1, "preferred"),
        (2, "voice"),
        (3, "preferred"),
    ]


def test_copy_this_starts_from_that_protocols_steps_and_name(surgeon_client):
    short = Protocol.objects.create(name="Short", owner=surgeon_client.user)
    ProtocolStep.objects.create(protocol=short, postop_day=2, questions=["pain"])
    ProtocolStep.objects.create(protocol=short, postop_day=9, questions=["wound_fever"])

    response = surgeon_client.get(f"/protocols/{short.pk}/copy/")

    assert [step["postop_day"] for step in response.context["formset"].initial] == [2, 9]
    assert response.context["name_form"]["name"].value() == "Short (copy)"


def test_previewing_a_new_protocol_saves_nothing_and_keeps_its_name(surgeon_client):
    response = surgeon_client.post(
        "/protocols/new/", form_data(default_steps()[:2], action="preview", name="Cervical")
    )

    assert "Day 2: Wed 3 Jun 2026 10:00 CDT" in text(response)
    assert response.context["name_form"]["name"].value() == "Cervical"
    assert Protocol.objects.count() == 1


def test_a_new_protocol_needs_a_name_no_other_protocol_has(surgeon_client):
    steps = default_steps()
    taken = surgeon_client.post("/protocols/new/", form_data(steps, name="spinal FUSION (default)"))
    empty = surgeon_client.post("/protocols/new/", form_data(steps, name=""))

    assert "A protocol has this name" in text(taken)
    assert "This field is required." in text(empty)
    assert Protocol.objects.count() == 1


def remove_all(steps: list[dict]) -> None:
    for step in steps:
        step["DELETE"] = "on"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda steps: steps[0].update(postop_day="400"),
            "Ensure this value is less than or equal to 365.",
        ),
        (
            lambda steps: steps[1].update(postop_day="1"),
            "One check-in per post-op day: day 1 has more than one.",
        ),
        (lambda steps: steps[0].update(questions=[]), "Pick at least one question."),
        (
            lambda steps: steps[0].update(questions=["pain", "general", "pain"]),
            "A question may appear only once.",
        ),
        (lambda steps: steps[0].update(questions=["itching"]), "Select a valid choice."),
        (lambda steps: steps[0].update(channel="fax"), "Select a valid choice."),
        (lambda steps: steps[0].update(send_time="25:00"), "Enter a valid time."),
        (lambda steps: steps.clear(), "A protocol needs at least one step."),
        (remove_all, "A protocol needs at least one step."),
    ],
    ids=[
        "day 400",
        "duplicate day",
        "no questions",
        "duplicate question",
        "unknown question",
        "unknown channel",
        "bad time",
        "no steps",
        "all steps removed",
    ],
)
def test_invalid_steps_are_shown_as_form_errors_and_nothing_is_saved(surgeon_client, change, error):
    steps = default_steps()
    change(steps)

    response = surgeon_client.post(edit_url(default()), form_data(steps))

    assert response.status_code == 200
    assert error in text(response)
    assert Protocol.objects.count() == 1


def test_a_missing_management_form_is_a_form_error(surgeon_client):
    response = surgeon_client.post(edit_url(default()), {"action": "save"})

    assert response.status_code == 200
    assert "A protocol needs at least one step." in text(response)
    assert Protocol.objects.count() == 1


def test_questions_are_saved_in_catalogue_order(surgeon_client):
    steps = default_steps()
    steps[0]["questions"] = ["wound_fever", "pain", "general"]

    surgeon_client.post(edit_url(default()), form_data(steps))

    new = Protocol.objects.get(version=2)
    assert new.steps.get(postop_day=1).questions == ["general", "pain", "wound_fever"]


@time_machine.travel(NOW, tick=False)
def test_saving_makes_version_2_and_leaves_version_1_and_its_enrollments_untouched(
    surgeon_client,
):
    _, enrollment = make_enrolled_patient(surgery={"date": SURGERY})
    v1 = default()
    v1_steps = steps_of(v1)
    checkins = snapshot(enrollment)
    steps = default_steps()
    steps[4]["send_time"] = "14:00"
    steps.append({"postop_day": "180", "send_time": "10:00", "channel": "sms", "questions": "pain"})

    response = surgeon_client.post(edit_url(v1), form_data(steps))

    v2 = Protocol.objects.get(name=v1.name, version=2)
    assert response.status_code == 302
    assert response.url == move_url(v2)
    assert (v2.owner, v2.is_default) == (surgeon_client.user, False)
    assert v2.steps.get(postop_day=5).send_time == dt.time(14, 0)
    assert v2.steps.get(postop_day=180).questions == ["pain"]
    v1.refresh_from_db()
    assert v1.is_default
    assert steps_of(v1) == v1_steps
    enrollment.refresh_from_db()
    assert enrollment.protocol == v1
    assert snapshot(enrollment) == checkins


def test_saving_without_patients_on_older_versions_asks_nothing(surgeon_client):
    steps = default_steps()
    steps[0]["channel"] = "sms"

    response = surgeon_client.post(edit_url(default()), form_data(steps))

    v2 = Protocol.objects.get(version=2)
    assert response.url == f"/protocols/{v2.pk}/"
    assert flashes(response) == ["Saved version 2."]


def test_saving_unchanged_steps_makes_no_new_version(surgeon_client):
    response = surgeon_client.post(edit_url(default()), form_data(default_steps()))

    assert "Nothing changed since version 1." in text(response)
    assert Protocol.objects.count() == 1


def test_a_colleagues_newer_version_is_not_overwritten(surgeon_client):
    v1 = default()
    colleague_saves(v1)
    steps = default_steps()
    steps[0]["send_time"] = "11:00"

    response = surgeon_client.post(edit_url(v1), form_data(steps))

    assert "Version 2 was saved while you were editing version 1" in text(response)
    assert not Protocol.objects.filter(version=3).exists()


def test_editing_an_old_version_opens_the_latest(surgeon_client):
    v2 = colleague_saves(default())

    response = surgeon_client.get(edit_url(default()))

    assert response.status_code == 302
    assert response.url == edit_url(v2)


@time_machine.travel(NOW, tick=False)
def test_moving_patients_replans_unsent_checkins_and_leaves_sent_ones(surgeon_client):
    _, enrollment = make_enrolled_patient(surgery={"date": SURGERY})
    _, paused = make_enrolled_patient(surgery={"date": SURGERY})
    set_enrollment_status(paused, Enrollment.Status.PAUSED)
    sent = enrollment.checkins.get(step__postop_day=3)
    CheckIn.objects.filter(pk=sent.pk).update(status=CheckIn.Status.AWAITING, sent_at=NOW)
    steps = default_steps()
    steps[2]["send_time"] = "11:00"  # day 3, already sent
    steps[4]["send_time"] = "14:00"  # day 5, not yet sent
    v1 = default()

    saved = surgeon_client.post(edit_url(v1), form_data(steps))
    confirm = text(surgeon_client.get(saved.url))
    response = surgeon_client.post(saved.url, {"choice": "move"})

    v2 = Protocol.objects.get(version=2)
    assert "1 active patient is still on older versions" in confirm
    assert "Move 1 patient" in confirm
    assert "Keep them on version 1" in confirm
    assert flashes(response) == [
        "Moved 1 patient to version 2; their unsent check-ins follow it now."
    ]
    enrollment.refresh_from_db()
    paused.refresh_from_db()
    assert enrollment.protocol == v2
    assert paused.protocol == v1
    # Both changes are on record: the new version, and the patients moved onto it.
    recorded = AuditEvent.objects.order_by("pk").values_list("action", "detail")
    assert list(
        recorded.filter(action__in=("action.edit_protocol", "action.move_to_protocol"))
    ) == [
        ("action.edit_protocol", f"protocol {v1.pk}: version {v2.pk}"),
        ("action.move_to_protocol", f"moved 1 patient(s) to protocol {v2.pk}"),
    ]
    after = CheckIn.objects.get(pk=sent.pk)
    assert (after.status, after.step_id, after.due_at) == (
        CheckIn.Status.AWAITING,
        sent.step_id,
        sent.due_at,
    )
    day5 = live_checkins(enrollment).get(step__postop_day=5)
    assert day5.step.protocol == v2
    assert day5.due_at == dt.datetime(2026, 6, 3, 19, 0, tzinfo=dt.UTC)  # 14:00 CDT
    assert [c.step.postop_day for c in live_checkins(enrollment)] == DEFAULT_DAYS[2:]
    unsent = live_checkins(enrollment).exclude(pk=sent.pk)
    assert set(unsent.values_list("step__protocol", flat=True)) == {v2.pk}


@time_machine.travel(NOW, tick=False)
def test_keeping_patients_leaves_them_and_their_checkins_on_their_version(surgeon_client):
    _, enrollment = make_enrolled_patient(surgery={"date": SURGERY})
    checkins = snapshot(enrollment)
    steps = default_steps()
    steps[4]["send_time"] = "14:00"
    saved = surgeon_client.post(edit_url(default()), form_data(steps))

    response = surgeon_client.post(saved.url, {"choice": "keep"})

    enrollment.refresh_from_db()
    assert enrollment.protocol == default()
    assert snapshot(enrollment) == checkins
    assert flashes(response) == ["Patients on older versions stay on them."]


def test_moving_to_a_version_that_is_no_longer_the_latest_is_refused(surgeon_client):
    _, enrollment = make_enrolled_patient()
    v2 = colleague_saves(default())
    v3 = colleague_saves(v2, dt.time(8))

    response = surgeon_client.post(move_url(v2), {"choice": "move"})

    assert response.url == f"/protocols/{v3.pk}/"
    enrollment.refresh_from_db()
    assert enrollment.protocol == default()


def test_move_enrollments_moves_only_active_ones_and_counts_them():
    _, active = make_enrolled_patient()
    _, withdrawn = make_enrolled_patient()
    set_enrollment_status(withdrawn, Enrollment.Status.WITHDRAWN)
    v2 = colleague_saves(default())

    assert move_enrollments([default()], v2) == 1
    assert Enrollment.objects.get(pk=active.pk).protocol == v2
    assert Enrollment.objects.get(pk=withdrawn.pk).protocol == default()


def test_nurses_may_view_protocols_but_not_change_them(nurse_client):
    v1 = default()
    make_enrolled_patient()
    steps = default_steps()
    steps[0]["send_time"] = "11:00"

    assert nurse_client.get("/protocols/").status_code == 200
    detail = nurse_client.get(f"/protocols/{v1.pk}/")
    assert detail.status_code == 200
    assert "Copy this" not in text(detail)
    for url in ("/protocols/new/", f"/protocols/{v1.pk}/copy/", edit_url(v1), move_url(v1)):
        assert nurse_client.get(url).status_code == 403
    assert nurse_client.post(edit_url(v1), form_data(steps)).status_code == 403
    assert nurse_client.post("/protocols/new/", form_data(steps, name="Mine")).status_code == 403
    assert Protocol.objects.count() == 1


def test_preview_shows_dates_and_wording_in_english_and_spanish_without_saving(surgeon_client):
    steps = default_steps()
    steps[0]["send_time"] = "06:30"  # inside the default quiet hours

    response = surgeon_client.post(
        edit_url(default()),
        form_data(steps, action="preview", sample_surgery_date="2026-03-06"),
    )

    page = text(response)
    assert "Preview for surgery on Fri 6 Mar 2026 (America/Chicago)" in page
    assert "Day 1: Sat 7 Mar 2026 08:00 CST" in page
    assert "set for 06:30, moved out of quiet hours" in page
    # Daylight saving time starts in Chicago on day 2: still 10:00, now CDT.
    assert "Day 2: Sun 8 Mar 2026 10:00 CDT" in page
    assert "Day 90: Thu 4 Jun 2026 10:00 CDT" in page
    for code in DEFAULT_QUESTIONS:
        assert f"English: {render_message(f'question_{code}', 'en')}" in page
        assert f"Spanish: {render_message(f'question_{code}', 'es')}" in page
    assert "¿Qué tanto dolor tiene ahora" in page
    # The edit is still on the page, ready to save.
    assert 'value="06:30"' in response.content.decode()
    assert Protocol.objects.count() == 1


def test_preview_in_another_time_zone_on_the_protocol_page(nurse_client):
    response = nurse_client.get(
        f"/protocols/{default().pk}/",
        {"sample_surgery_date": "2026-06-01", "sample_time_zone": "Europe/Madrid"},
    )

    assert "Day 1: Tue 2 Jun 2026 10:00 CEST" in text(response)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("sample_time_zone", "Mars/Olympus", "is not an IANA time zone"),
        ("sample_surgery_date", "9999-12-31", "Pick a date within ten years of today."),
        ("sample_surgery_date", "yesterday", "Enter a valid date."),
    ],
)
def test_a_bad_sample_is_a_form_error(surgeon_client, field, value, error):
    response = surgeon_client.post(
        edit_url(default()), form_data(default_steps(), action="preview", **{field: value})
    )

    assert response.status_code == 200
    assert error in text(response)
    assert "Preview for surgery" not in text(response)
