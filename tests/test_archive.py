"""The escalation archive: every escalation of the user's teams, filtered, timed and audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import archive
from followup.models import AuditEvent, Escalation, Severity, User
from tests.factories import make_patient, make_team, make_user

pytestmark = pytest.mark.django_db

OPENED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def team():
    return make_team(name="North")


@pytest.fixture
def nurse(client, team):
    user = make_user(username="nia", first_name="Nia", last_name="Ross")
    team.members.add(user)
    client.force_login(user)
    return user


def make_escalation(team, **overrides):
    fields = {
        "patient": make_patient(care_team=team),
        "severity": Severity.URGENT,
        "findings": ["fever"],
        "status": Escalation.Status.RESOLVED,
        "opened_at": OPENED,
    }
    fields.update(overrides)
    return Escalation.objects.create(**fields)


def shown(response):
    return [row[0].pk for row in response.context["rows"]]


def test_the_archive_lists_open_and_resolved_escalations_of_my_teams_only(client, nurse, team):
    resolved = make_escalation(team, outcome=Escalation.Outcome.ADVICE)
    still_open = make_escalation(
        team, status=Escalation.Status.OPEN, opened_at=OPENED.replace(day=3)
    )
    make_escalation(make_team(name="South"))
    response = client.get(reverse("escalation-archive"))
    assert response.status_code == 200
    assert shown(response) == [still_open.pk, resolved.pk]
    html = response.content.decode()
    assert reverse("patient-detail", args=[resolved.patient_id]) in html
    assert "Fever" in html and "Advice given by phone" in html


def test_each_filter_narrows_the_list(client, nurse, team):
    acker = make_user(username="ava")
    team.members.add(acker)
    ack = OPENED + dt.timedelta(minutes=42)
    target = make_escalation(
        team,
        severity=Severity.EMERGENCY,
        findings=["saddle_numbness", "bladder"],
        outcome=Escalation.Outcome.ADVISED_ED,
        acknowledged_at=ack,
        acknowledged_by=acker,
    )
    make_escalation(team, findings=["numbness"], opened_at=OPENED - dt.timedelta(days=10))
    make_escalation(team, opened_at=OPENED + dt.timedelta(days=10))
    url = reverse("escalation-archive")
    for query in (
        {"severity": Severity.EMERGENCY},
        {"finding": "bladder"},
        {"outcome": "advised_ed"},
        {"acknowledged_by": acker.pk},
        {"start": "2026-03-01", "end": "2026-03-02", "team": team.pk},
    ):
        assert shown(client.get(url, query)) == [target.pk], query
    # "numbness" is not "saddle_numbness".
    assert target.pk not in shown(client.get(url, {"finding": "numbness"}))
    response = client.get(url, {"finding": "bladder"})
    assert "after 42 min" in response.content.decode()
    assert "Loss of bladder control" in response.content.decode()


def test_another_teams_id_in_a_filter_shows_nothing_of_it(client, nurse, team):
    south = make_team(name="South")
    make_escalation(south)
    response = client.get(reverse("escalation-archive"), {"team": south.pk})
    assert shown(response) == [e.pk for e in Escalation.objects.filter(patient__care_team=team)]


def test_viewing_the_archive_is_audited_with_the_patients_shown(client, nurse, team):
    first, second = make_escalation(team), make_escalation(team, opened_at=OPENED.replace(day=4))
    client.get(reverse("escalation-archive"), {"severity": Severity.URGENT})
    event = AuditEvent.objects.get(action="view.escalation_archive")
    assert event.patients == sorted([first.patient_id, second.patient_id])
    assert event.user == nurse and "severity=2" in event.detail


def test_the_archive_pages_by_fifty(client, nurse, team):
    patient = make_patient(care_team=team)
    for n in range(51):
        make_escalation(team, patient=patient, opened_at=OPENED + dt.timedelta(hours=n))
    first = client.get(reverse("escalation-archive"))
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get(reverse("escalation-archive"), {"page": 2}).context["rows"]) == 1


@pytest.mark.parametrize("count", [2, 30])
def test_the_archive_query_count_does_not_grow_with_rows(
    client, nurse, team, count, django_assert_max_num_queries
):
    acker = make_user(username=f"acker{count}")
    for n in range(count):
        make_escalation(
            team,
            opened_at=OPENED + dt.timedelta(hours=n),
            acknowledged_at=OPENED + dt.timedelta(hours=n, minutes=5),
            acknowledged_by=acker,
        )
    with django_assert_max_num_queries(9):
        assert client.get(reverse("escalation-archive")).status_code == 200


@pytest.mark.parametrize("role", [User.Role.SURGEON, User.Role.AUDITOR, User.Role.TEAM_LEAD])
def test_every_reading_role_opens_the_archive_and_strangers_sign_in_first(client, role):
    user = make_user(role=role)
    client.force_login(user)
    assert client.get(reverse("escalation-archive")).status_code == 200
    client.logout()
    assert client.get(reverse("escalation-archive")).status_code == 302


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(None, ""), (0, "0 min"), (45, "45 min"), (125, "2 h 5 min"), (60 * 27, "1 d 3 h")],
)
def test_waits_read_in_plain_units(minutes, text):
    wait = None if minutes is None else dt.timedelta(minutes=minutes)
    assert archive.duration_text(wait) == text


def test_unacknowledged_escalations_say_so(client, nurse, team):
    make_escalation(team, status=Escalation.Status.OPEN, opened_at=timezone.now())
    assert "Not acknowledged" in client.get(reverse("escalation-archive")).content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_in_a_year_nobody_means_is_ignored_like_any_unreadable_date(
    client, nurse, team, day
):
    escalation = make_escalation(team)
    response = client.get(reverse("escalation-archive"), {"start": day, "end": day})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["Choose a date between 1900 and 2999."]
    assert shown(response) == [escalation.pk]
