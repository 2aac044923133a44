"""Protocols belong to a care team, or are shared; a surgeon acts for her own teams only."""

import datetime as dt

import pytest

from followup.models import Protocol, User
from followup.protocols.services import (
    StepSpec,
    create_protocol,
    move_enrollments,
    save_new_version,
)
from followup.scheduling import enroll
from tests.factories import make_patient, make_surgery, make_team, make_user

pytestmark = pytest.mark.django_db
STEPS = [StepSpec(1, dt.time(10), "sms", ("pain",))]


def surgeon_of(team, name):
    surgeon = make_user(username=name, role=User.Role.SURGEON)
    team.members.add(surgeon)
    return surgeon


def test_a_new_protocol_belongs_to_its_authors_team_and_its_versions_stay_there(client):
    north, south = make_team(name="North"), make_team(name="South")
    ana, bo = surgeon_of(north, "ana"), surgeon_of(south, "bo")
    protocol = create_protocol("North cervical", STEPS, ana)
    assert protocol.care_team == north
    v2 = save_new_version(protocol, [StepSpec(2, dt.time(9), "sms", ("pain",))], ana)
    assert v2.care_team == north
    client.force_login(bo)
    listed = client.get("/protocols/").content.decode()
    assert "North cervical" not in listed
    assert Protocol.objects.default().name in listed
    assert client.get(f"/protocols/{protocol.pk}/").status_code == 404
    client.force_login(ana)
    assert "North cervical" in client.get("/protocols/").content.decode()


def test_moving_patients_to_a_new_shared_version_moves_only_the_surgeons_teams(client):
    north, south = make_team(name="North"), make_team(name="South")
    ana = surgeon_of(north, "ana")
    shared = Protocol.objects.default()
    assert shared.care_team is None
    mine_patient = make_patient(care_team=north)
    mine = enroll(mine_patient, make_surgery(mine_patient))
    theirs_patient = make_patient(care_team=south)
    theirs = enroll(theirs_patient, make_surgery(theirs_patient))
    v2 = save_new_version(shared, STEPS, ana)
    assert move_enrollments([shared], v2, ana) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.protocol, theirs.protocol) == (v2, shared)
