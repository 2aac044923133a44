"""Each role's rights, checked on the server and reflected in what the pages offer."""

import pytest
from django.urls import reverse

from followup.access import RIGHTS, Right, can
from followup.models import CareItem, Escalation, InboundMessage, Severity, User
from tests.factories import make_patient, make_team, make_user

R = Right
EXPECTED = {
    User.Role.NURSE: {
        R.READ_DASHBOARD,
        R.READ_PROTOCOLS,
        R.ACT_ON_ESCALATIONS,
        R.REVIEW_MESSAGES,
        R.COMPLETE_CARE_ITEMS,
        R.RECORD_CONSENT,
    },
    User.Role.SURGEON: {R.READ_DASHBOARD, R.READ_PROTOCOLS, R.EDIT_PROTOCOLS},
    User.Role.TEAM_LEAD: {
        R.READ_DASHBOARD,
        R.READ_PROTOCOLS,
        R.ACT_ON_ESCALATIONS,
        R.REVIEW_MESSAGES,
        R.COMPLETE_CARE_ITEMS,
        R.RECORD_CONSENT,
        R.EDIT_PROTOCOLS,
        R.MANAGE_TEAMS,
        R.READ_AUDIT,
    },
    User.Role.AUDITOR: {R.READ_DASHBOARD, R.READ_PROTOCOLS, R.READ_AUDIT},
    User.Role.ADMIN: {R.READ_DASHBOARD, R.READ_PROTOCOLS, R.ADMINISTER, R.MANAGE_TEAMS},
}


def test_every_role_has_its_rights_and_no_more():
    assert set(RIGHTS) == set(User.Role.values)
    for role, rights in EXPECTED.items():
        assert set(RIGHTS[role]) == rights, role


def test_a_team_lead_can_do_what_a_nurse_and_a_surgeon_can():
    assert RIGHTS[User.Role.NURSE] | RIGHTS[User.Role.SURGEON] <= RIGHTS[User.Role.TEAM_LEAD]


@pytest.mark.django_db
def test_superusers_have_every_right_and_inactive_staff_none():
    root = make_user(is_superuser=True, role=User.Role.AUDITOR)
    gone = make_user(role=User.Role.TEAM_LEAD, is_active=False)
    assert all(can(root, right) for right in Right)
    assert not any(can(gone, right) for right in Right)


@pytest.fixture
def team():
    return make_team()


@pytest.fixture
def as_role(client, team):
    def log_in(role):
        user = make_user(role=role)
        team.members.add(user)
        client.force_login(user)
        client.user = user
        return client

    return log_in


def open_escalation(team):
    return Escalation.objects.create(
        patient=make_patient(care_team=team, last_name="Soto"),
        severity=Severity.URGENT,
        findings=["numbness"],
    )


@pytest.mark.django_db
def test_an_auditor_reads_the_dashboard_but_every_action_is_403(as_role, team):
    client = as_role(User.Role.AUDITOR)
    e = open_escalation(team)
    item = CareItem.objects.create(patient=e.patient, kind=CareItem.Kind.NO_RESPONSE)
    message = InboundMessage.objects.create(
        message_sid="SM" + "9" * 32, from_number=e.patient.phone, sender="patient",
        patient=e.patient, assessment=None, body="help",
    )  # fmt: skip
    html = client.get(reverse("dashboard")).content.decode()
    assert "Soto" in html
    assert ">Acknowledge<" not in html and ">Resolve<" not in html
    assert ">Done<" not in html and ">Mark reviewed<" not in html
    response = client.post(reverse("acknowledge", args=[e.pk]))
    assert response.status_code == 403
    assert b"acknowledge" in response.content
    assert client.post(reverse("resolve", args=[e.pk]), {"outcome": "advice"}).status_code == 403
    assert client.post(reverse("message-reviewed", args=[message.pk])).status_code == 403
    assert client.post(reverse("care-item-done", args=[item.pk])).status_code == 403
    e.refresh_from_db()
    item.refresh_from_db()
    message.refresh_from_db()
    assert e.status == Escalation.Status.OPEN
    assert item.done_at is None and message.reviewed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", [User.Role.NURSE, User.Role.TEAM_LEAD])
def test_nurses_and_team_leads_acknowledge_and_see_the_buttons(as_role, team, role):
    client = as_role(role)
    e = open_escalation(team)
    assert ">Acknowledge<" in client.get(reverse("dashboard")).content.decode()
    assert client.post(reverse("acknowledge", args=[e.pk])).status_code == 302
    e.refresh_from_db()
    assert e.status == Escalation.Status.ACKNOWLEDGED and e.acknowledged_by == client.user


@pytest.mark.django_db
@pytest.mark.parametrize("role", [User.Role.SURGEON, User.Role.ADMIN])
def test_surgeons_and_administrators_read_but_do_not_acknowledge(as_role, team, role):
    client = as_role(role)
    e = open_escalation(team)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Soto" in html and ">Acknowledge<" not in html
    assert client.post(reverse("acknowledge", args=[e.pk])).status_code == 403
    e.refresh_from_db()
    assert e.status == Escalation.Status.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "edits"),
    [
        (User.Role.NURSE, False),
        (User.Role.AUDITOR, False),
        (User.Role.ADMIN, False),
        (User.Role.SURGEON, True),
        (User.Role.TEAM_LEAD, True),
    ],
)
def test_only_surgeons_and_team_leads_edit_protocols(as_role, role, edits):
    client = as_role(role)
    listing = client.get(reverse("protocols"))
    assert listing.status_code == 200
    assert ("New protocol" in listing.content.decode()) is edits
    response = client.get(reverse("protocol-new"))
    assert response.status_code == (200 if edits else 403)
    if not edits:
        assert b"Only surgeons and team leads change protocols." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_admin"),
    [(User.Role.NURSE, False), (User.Role.TEAM_LEAD, True), (User.Role.ADMIN, True)],
)
def test_the_admin_link_shows_to_those_who_manage_teams(as_role, role, sees_admin):
    client = as_role(role)
    User.objects.filter(pk=client.user.pk).update(is_staff=True)
    html = client.get(reverse("dashboard")).content.decode()
    assert (reverse("admin:index") in html) is sees_admin


@pytest.mark.django_db
def test_a_nurse_with_staff_status_cannot_use_the_admin(client, team):
    from django.contrib.auth.models import Permission

    nurse = make_user(role=User.Role.NURSE, is_staff=True)
    nurse.user_permissions.set(Permission.objects.filter(content_type__app_label="followup"))
    team.members.add(nurse)
    client.force_login(nurse)
    assert client.get(reverse("admin:followup_careteam_changelist")).status_code == 403
    assert client.get(reverse("admin:followup_user_changelist")).status_code == 403
    assert client.get(reverse("admin:followup_patient_add")).status_code == 403
