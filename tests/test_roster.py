"""The on-call roster: who is paged at each moment, gaps, and the team leads' roster page."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from followup import roster
from followup.models import AuditEvent, Escalation, Severity, Shift, User
from followup.paging import advance_ladders
from tests.factories import make_team, make_user
from tests.test_paging import DAY, at, open_escalation, pages
from tests.test_webhooks import SMS, inbound


@pytest.fixture
def team():
    team = make_team()
    olga = make_user(username="olga", phone="+13125550801")
    ben = make_user(username="ben", phone="+13125550802")
    lead = make_user(username="lead", role=User.Role.TEAM_LEAD, phone="+13125550803")
    team.members.add(olga, ben, lead)
    return team


def shift(team, username, role=Shift.Role.ON_CALL, starts=DAY - dt.timedelta(days=1), ends=None):
    user = User.objects.get(username=username)
    return Shift.objects.create(
        care_team=team, user=user, role=role, starts_at=starts, ends_at=ends
    )


@pytest.mark.django_db
def test_a_roster_change_sends_the_next_page_to_the_new_on_call(team):
    shift(team, "olga")
    open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    assert pages() == [("olga", "sms")]
    roster.add_shift(team, User.objects.get(username="ben"), Shift.Role.ON_CALL, at(DAY, 5.5), None)
    advance_ladders(at(DAY, 6))
    assert pages() == [("olga", "sms"), ("ben", "voice")]


@pytest.mark.django_db
def test_a_gap_in_the_roster_pages_the_team_lead(team):
    shift(team, "olga", ends=at(DAY, 1))
    open_escalation(team, Severity.EMERGENCY, DAY)
    advance_ladders(at(DAY, 5))
    assert pages() == [("lead", "sms")]
    assert roster.on_call(team, at(DAY, 5)) is None


@pytest.mark.django_db
def test_a_missing_backup_pages_the_team_lead_instead(team):
    shift(team, "olga")
    open_escalation(team, Severity.EMERGENCY, DAY)
    for minutes in (5, 6, 20):
        advance_ladders(at(DAY, minutes))
    assert pages() == [("olga", "sms"), ("olga", "voice"), ("lead", "sms"), ("lead", "voice")]


@pytest.mark.django_db
def test_an_acknowledgement_before_a_shift_change_stops_the_ladder_after_it(team, twilio_post):
    first = shift(team, "olga")
    escalation = open_escalation(team, Severity.EMERGENCY, DAY)
    with time_machine.travel(at(DAY, 5), tick=False):
        advance_ladders()
    roster.end_shift(first, at(DAY, 5.2))
    shift(team, "ben", starts=at(DAY, 5.2))
    # Olga answers the page after she went off shift: it still counts.
    with time_machine.travel(at(DAY, 5.5), tick=False):
        response = twilio_post(SMS, inbound("+13125550801", "on it"))
    assert b"Acknowledged" in response.content
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by.username == "olga"
    assert advance_ladders(at(DAY, 60)) == 0
    assert pages() == [("olga", "sms")]


@pytest.mark.django_db
def test_a_team_without_shifts_keeps_its_fixed_on_call_and_backup():
    olga = make_user(username="olga")
    ben = make_user(username="ben")
    team = make_team(on_call=olga, backup=ben)
    assert (roster.on_call(team, DAY), roster.backup(team, DAY)) == (olga, ben)
    assert roster.gaps(team, DAY, at(DAY, 60)) == []


@pytest.mark.django_db
def test_once_rostered_the_fixed_on_call_is_no_longer_read(team):
    olga = User.objects.get(username="olga")
    team.on_call = olga
    team.save()
    shift(team, "ben", starts=at(DAY, 10))
    assert roster.on_call(team, DAY) is None
    assert roster.on_call(team, at(DAY, 10)).username == "ben"


@pytest.mark.django_db
def test_gaps_are_the_stretches_nobody_covers(team):
    end = DAY + dt.timedelta(days=7)
    shift(team, "olga", starts=DAY, ends=at(DAY, 60))
    shift(team, "ben", starts=at(DAY, 30), ends=at(DAY, 90))
    shift(team, "olga", role=Shift.Role.BACKUP, starts=at(DAY, 90), ends=None)
    shift(team, "ben", starts=at(DAY, 120), ends=None)
    assert roster.gaps(team, DAY, end) == [(at(DAY, 90), at(DAY, 120))]
    assert roster.gaps(team, at(DAY, -10), at(DAY, 10)) == [(at(DAY, -10), DAY)]


@pytest.mark.django_db
def test_coverage_says_what_on_call_backup_and_gaps_say_for_every_team_in_two_queries(
    team, django_assert_num_queries
):
    from followup.models import CareTeam

    olga, ben = User.objects.get(username="olga"), User.objects.get(username="ben")
    make_team(name="Fixed pair", on_call=olga, backup=ben)
    make_team(name="Nobody at all")
    # Rostered once, long ago: the fixed pair is no longer read.
    past = make_team(name="Rostered long ago", on_call=olga)
    past.members.add(ben)
    shift(past, "ben", starts=at(DAY, -600), ends=at(DAY, -500))
    # A handover: two on-call shifts cover the moment, the later-starting one wins; a backup
    # starting exactly now; on call again later, after a gap.
    shift(team, "olga", starts=at(DAY, -120), ends=at(DAY, 60))
    shift(team, "ben", starts=at(DAY, -30), ends=at(DAY, 30))
    shift(team, "olga", role=Shift.Role.BACKUP, starts=DAY, ends=None)
    shift(team, "ben", starts=at(DAY, 90), ends=None)
    ahead = dt.timedelta(days=7)
    teams = CareTeam.objects.order_by("name")
    expected = [
        (t.name, roster.on_call(t, DAY), roster.backup(t, DAY), roster.gaps(t, DAY, DAY + ahead))
        for t in teams
    ]
    with django_assert_num_queries(2):
        found = [
            (c.team.name, c.on_call, c.backup, c.gaps) for c in roster.coverage(teams, DAY, ahead)
        ]
    assert found == expected
    assert {name: (on_call, backup) for name, on_call, backup, _ in found} == {
        "Fixed pair": (olga, ben),
        "Nobody at all": (None, None),
        "Rostered long ago": (None, None),
        team.name: (ben, olga),
    }
    assert {name: gaps for name, _, _, gaps in found}[team.name] == [(at(DAY, 60), at(DAY, 90))]


@pytest.mark.django_db
def test_only_members_with_a_phone_go_on_the_roster(team):
    stranger = make_user()
    silent = make_user(phone="")
    team.members.add(silent)
    for user in (stranger, silent):
        with pytest.raises(ValidationError):
            roster.add_shift(team, user, Shift.Role.ON_CALL, DAY, None)
    with pytest.raises(ValidationError):
        roster.add_shift(team, User.objects.get(username="ben"), "on_call", DAY, DAY)


@pytest.mark.django_db
def test_ending_a_future_shift_deletes_it_and_a_current_one_ends_now(team):
    future = shift(team, "olga", starts=at(DAY, 60))
    current = shift(team, "ben", starts=DAY)
    assert roster.end_shift(future, at(DAY, 30))
    assert not Shift.objects.filter(pk=future.pk).exists()
    assert roster.end_shift(current, at(DAY, 30))
    current.refresh_from_db()
    assert current.ends_at == at(DAY, 30)
    assert not roster.end_shift(current, at(DAY, 40))


@pytest.fixture
def lead_client(client, team):
    client.force_login(User.objects.get(username="lead"))
    return client


def put_on_call(client, team, username: str, starts_at: str, ends_at: str = ""):
    """The roster form posted as a team lead fills it in."""
    return client.post(
        reverse("roster"),
        {
            "care_team": team.pk,
            "user": User.objects.get(username=username).pk,
            "role": "on_call",
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
    )


@pytest.mark.django_db
def test_a_team_lead_adds_a_shift_in_the_clinic_time_zone(lead_client, team):
    ben = User.objects.get(username="ben")
    response = put_on_call(lead_client, team, "ben", "2026-03-03T20:00")
    assert response.status_code == 302
    added = Shift.objects.get(care_team=team)
    # 20:00 in Chicago (UTC-6 in early March) is 02:00 UTC the next day.
    assert added.starts_at == dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)
    assert (added.user, added.ends_at) == (ben, None)
    assert AuditEvent.objects.filter(action="action.edit_roster").count() == 1


@pytest.mark.django_db
def test_a_team_lead_cannot_put_another_teams_member_on_call(lead_client, team):
    outsider = make_user()
    make_team().members.add(outsider)
    response = lead_client.post(
        reverse("roster"),
        {
            "care_team": team.pk,
            "user": outsider.pk,
            "role": "on_call",
            "starts_at": "2026-03-03T20:00",
        },
    )
    assert response.status_code == 200
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "ends_at"), [("2026-03-03T20:00", "9999-12-31T23:59"), ("0001-01-01T00:00", "")]
)
def test_a_shift_in_a_year_nobody_means_is_a_form_error_and_the_pages_still_open(
    lead_client, team, starts_at, ends_at
):
    response = put_on_call(lead_client, team, "ben", starts_at, ends_at)
    assert response.status_code == 200
    assert "Choose a date between 1900 and 2999." in response.content.decode()
    assert not Shift.objects.exists()
    for page in ("roster", "dashboard", "dashboard-rows"):
        assert lead_client.get(reverse(page)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("starts_at", ["2027-03-14T02:30", "2027-03-14T02:00"])
def test_a_shift_ending_before_it_starts_across_the_spring_forward_gap_is_a_form_error(
    lead_client, team, starts_at
):
    # 02:00-03:00 does not exist in Chicago that night: 03:00 CDT is the instant 02:00 CST was.
    team.time_zone = "America/Chicago"
    team.save()
    response = put_on_call(lead_client, team, "ben", starts_at, "2027-03-14T03:00")
    assert response.status_code == 200
    assert "A shift must end after it starts." in response.content.decode()
    assert not Shift.objects.exists()


@pytest.mark.django_db
def test_the_roster_page_shows_who_is_on_call_and_ends_a_shift(lead_client, team):
    current = shift(team, "olga", starts=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = lead_client.get(reverse("roster")).content.decode()
    assert "On call now: olga" in page
    assert lead_client.post(reverse("roster-end", args=[current.pk])).status_code == 302
    current.refresh_from_db()
    assert current.ends_at is not None
    assert "nobody (team leads are paged)" in lead_client.get(reverse("roster")).content.decode()


@pytest.mark.django_db
def test_nurses_may_not_edit_the_roster(client, team):
    client.force_login(User.objects.get(username="olga"))
    assert client.get(reverse("roster")).status_code == 403


@pytest.mark.django_db
def test_coverage_kept_for_a_caller_moves_on_with_the_clock(team):
    from followup.models import CareTeam

    shift(team, "olga", starts=at(DAY, -120), ends=at(DAY, 60))
    shift(team, "ben", starts=at(DAY, 90), ends=at(DAY, 24 * 60))
    # Beyond the first moment's window, within the last one's: read only if the window moved.
    shift(team, "olga", starts=at(DAY, 33 * 60), ends=None)
    teams = CareTeam.objects.order_by("name")
    ahead = dt.timedelta(hours=6)

    def seen(**kept):
        return [
            [
                (c.team.name, c.on_call, c.backup, c.gaps)
                for c in roster.coverage(teams, t, ahead, **kept)
            ]
            for t in (DAY, at(DAY, 75), at(DAY, 8 * 60), at(DAY, 30 * 60))
        ]

    # Compiled once at the first moment, run at the later ones with the clock moved on: the
    # same answers as compiled afresh each time (olga, a gap, ben, then nobody until olga).
    assert seen(kept="a test's") == seen()
    assert [moment[0][1] for moment in seen()] == [
        User.objects.get(username="olga"),
        None,
        User.objects.get(username="ben"),
        None,
    ]
    assert seen()[-1][0][3] == [(at(DAY, 30 * 60), at(DAY, 33 * 60))]


@pytest.mark.django_db
def test_the_dashboard_shows_a_red_banner_for_a_gap_now_and_gaps_ahead(lead_client, team):
    page = lead_client.get(reverse("dashboard")).content.decode()
    assert 'class="roster-gap"' in page and "nobody is on call now" in page
    two_days = timezone.now() + dt.timedelta(days=2)
    shift(team, "olga", starts=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), ends=two_days)
    page = lead_client.get(reverse("dashboard")).content.decode()
    assert 'class="roster-gap"' not in page
    assert "on call olga" in page
    assert f"{team.name}: nobody on call " in page
