"""Assigning a protocol version to patients ticked on the patient list; counts and "default"."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied

from followup import audit
from followup.defaults import DEFAULT_PROTOCOL
from followup.models import AuditEvent, CheckIn, Enrollment, Protocol, User
from followup.protocol_assignment import assign_protocol
from followup.protocols.services import StepSpec, save_new_version
from followup.scheduling import set_enrollment_status
from tests.factories import make_enrolled_patient, make_team, make_user
from tests.test_protocols import text

pytestmark = [pytest.mark.django_db]

URL = "/patients/assign-protocol/"


def default_v1() -> Protocol:
    return Protocol.objects.get(name=DEFAULT_PROTOCOL, version=1)


def new_version(protocol: Protocol | None = None) -> Protocol:
    return save_new_version(
        protocol or default_v1(),
        [StepSpec(30, dt.time(9), "sms", ("pain",))],
        make_user(role=User.Role.SURGEON),
    )


@pytest.fixture
def team():
    return make_team(name="Spine A")


@pytest.fixture
def surgeon(client, team):
    user = make_user(username="dr_ruiz", role=User.Role.SURGEON)
    team.members.add(user)
    client.force_login(user)
    return user


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def unsent_steps(enrollment: Enrollment) -> set[int]:
    planned = enrollment.checkins.filter(status=CheckIn.Status.PENDING)
    return set(planned.values_list("step__protocol_id", flat=True))


def test_ticked_patients_move_to_the_chosen_version_and_their_check_ins_follow_it(
    client, surgeon, team
):
    (first, one), (second, two) = (make_enrolled_patient(care_team=team) for _ in range(2))
    v2 = new_version()
    response = client.post(URL, {"protocol": v2.pk, "patients": [first.pk, second.pk]})
    assert response.status_code == 302
    assert response.url == "/patients/"
    assert flashes(response) == [f"Moved 2 patients to {DEFAULT_PROTOCOL} version 2."]
    for enrollment in (one, two):
        enrollment.refresh_from_db()
        assert enrollment.protocol == v2
        assert unsent_steps(enrollment) == {v2.pk}
    events = AuditEvent.objects.filter(action=audit.ASSIGN_PROTOCOL, user=surgeon)
    assert sorted(e.patient_id for e in events) == sorted([first.pk, second.pk])
    assert {e.detail for e in events} == {f"{DEFAULT_PROTOCOL} v1 -> {DEFAULT_PROTOCOL} v2"}


def test_another_teams_patients_are_ignored_and_counted(client, surgeon, team):
    mine, _ = make_enrolled_patient(care_team=team)
    theirs, their_enrollment = make_enrolled_patient(care_team=make_team(name="Spine B"))
    v2 = new_version()
    response = client.post(URL, {"protocol": v2.pk, "patients": [mine.pk, theirs.pk, 10**9]})
    assert flashes(response) == [
        f"Moved 1 patient to {DEFAULT_PROTOCOL} version 2; 2 patients not in your teams ignored."
    ]
    their_enrollment.refresh_from_db()
    assert their_enrollment.protocol == default_v1()
    assert not AuditEvent.objects.filter(action=audit.ASSIGN_PROTOCOL, patient=theirs).exists()


def test_a_paused_enrollment_moves_but_plans_nothing_until_resumed(surgeon, team):
    patient, enrollment = make_enrolled_patient(care_team=team)
    v2 = new_version()
    set_enrollment_status(enrollment, Enrollment.Status.PAUSED)
    done = assign_protocol([patient.pk], v2, surgeon)
    assert (done.moved, done.already, done.not_enrolled, done.ignored) == (1, 0, 0, 0)
    enrollment.refresh_from_db()
    assert enrollment.protocol == v2
    assert unsent_steps(enrollment) == set()


def test_patients_already_on_the_version_or_not_enrolled_are_counted_not_changed(
    client, surgeon, team
):
    patient, enrollment = make_enrolled_patient(care_team=team)
    withdrawn, ended = make_enrolled_patient(care_team=team)
    set_enrollment_status(ended, Enrollment.Status.WITHDRAWN)
    before = list(enrollment.checkins.values_list("pk", "status"))
    response = client.post(
        URL, {"protocol": default_v1().pk, "patients": [patient.pk, withdrawn.pk]}
    )
    assert flashes(response) == [
        f"Moved 0 patients to {DEFAULT_PROTOCOL} version 1; "
        "1 patient already on it; 1 patient not enrolled."
    ]
    assert list(enrollment.checkins.values_list("pk", "status")) == before
    assert not AuditEvent.objects.filter(action=audit.ASSIGN_PROTOCOL).exists()


def test_another_teams_protocol_cannot_be_assigned(client, surgeon, team):
    hidden = Protocol.objects.create(name="Team B cervical", care_team=make_team(name="Spine B"))
    patient, enrollment = make_enrolled_patient(care_team=team)
    response = client.post(URL, {"protocol": hidden.pk, "patients": [patient.pk]})
    assert response.status_code == 302
    assert any("Select a valid choice" in m for m in flashes(response))
    enrollment.refresh_from_db()
    assert enrollment.protocol == default_v1()
    with pytest.raises(PermissionDenied):
        assign_protocol([patient.pk], hidden, surgeon)
    enrollment.refresh_from_db()
    assert enrollment.protocol == default_v1()


@pytest.mark.parametrize(
    ("ticked", "message"),
    [(["x"], "Tick patients in the list."), ([], "Tick at least one patient.")],
)
def test_nothing_ticked_is_refused_with_a_message(client, surgeon, ticked, message):
    response = client.post(URL, {"protocol": default_v1().pk, "patients": ticked})
    assert flashes(response) == [message]


def test_the_list_search_is_kept_after_assigning(client, surgeon, team):
    patient, _ = make_enrolled_patient(care_team=team)
    data = {"protocol": new_version().pk, "patients": [patient.pk], "query": "q=Lopez&page=2"}
    assert client.post(URL, data).url == "/patients/?q=Lopez&page=2"
    data["query"] = "//evil.example/"
    assert client.post(URL, data).url.startswith("/patients/?")


def test_nurses_may_not_assign_and_do_not_see_the_checkboxes(client, team):
    nurse = make_user(role=User.Role.NURSE)
    team.members.add(nurse)
    patient, enrollment = make_enrolled_patient(care_team=team)
    client.force_login(nurse)
    assert 'name="patients"' not in client.get("/patients/").content.decode()
    response = client.post(URL, {"protocol": new_version().pk, "patients": [patient.pk]})
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.protocol == default_v1()


def test_the_patient_list_offers_checkboxes_and_every_visible_version(client, surgeon, team):
    patient, _ = make_enrolled_patient(care_team=team)
    new_version()
    Protocol.objects.create(name="Team B cervical", care_team=make_team(name="Spine B"))
    page = client.get("/patients/").content.decode()
    assert f'name="patients" value="{patient.pk}" form="assign-protocol"' in page
    shown = text(client.get("/patients/"))
    assert f"{DEFAULT_PROTOCOL} · version 2 {DEFAULT_PROTOCOL} · version 1" in shown
    assert "Team B cervical" not in shown


def test_a_get_is_not_allowed(client, surgeon):
    assert client.get(URL).status_code == 405


def test_protocol_counts_are_of_the_users_teams_only(client, surgeon, team):
    make_enrolled_patient(care_team=team)
    make_enrolled_patient(care_team=make_team(name="Spine B"))
    make_enrolled_patient(care_team=make_team(name="Spine C"))
    page = text(client.get("/protocols/"))
    assert "Version 1: 1 active patient" in page
    detail = text(client.get(f"/protocols/{default_v1().pk}/"))
    assert "1 active patient of your teams" in detail


def test_default_names_the_latest_version_of_the_default_protocol(client, surgeon):
    v1 = default_v1()
    page = text(client.get("/protocols/"))
    assert "Version 1: 0 active patients · default" in page
    v2 = new_version(v1)
    page = text(client.get("/protocols/"))
    assert f"{DEFAULT_PROTOCOL} latest version 2 · owner" in page
    assert "default for new enrollments" in page
    assert "Version 1: 0 active patientsVersion 2: 0 active patients · default" in page
    assert "default for new enrollments" in text(client.get(f"/protocols/{v2.pk}/"))
    assert "default for new enrollments" not in text(client.get(f"/protocols/{v1.pk}/"))
    other = Protocol.objects.create(name="Cervical", care_team=None)
    assert "default" not in text(client.get(f"/protocols/{other.pk}/")).split("Steps")[0]
