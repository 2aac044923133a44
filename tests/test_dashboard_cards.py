"""Kept cards and the kept version statement: whatever changes on a card shows at the next
rendering, time passing re-renders, and one nurse's card never reaches another."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import dashboard
from followup import escalation as escalations
from followup.models import CareTeam, Escalation, InboundMessage, OutboundMessage, Patient, User
from tests import test_dashboard
from tests.factories import make_team, make_user
from tests.test_dashboard import make_escalation

pytestmark = pytest.mark.django_db
ROWS = reverse("dashboard-rows")
nurse_client = test_dashboard.nurse_client
BEFORE_MIDNIGHT = dt.datetime(2026, 3, 11, 4, 58, 30, tzinfo=dt.UTC)


def card(html: str, escalation: Escalation) -> str:
    found = re.search(rf'<article [^>]*id="escalation-{escalation.pk}".*?</article>', html, re.S)
    assert found is not None
    return found[0]


def rows_of(client: Client) -> str:
    response = client.get(ROWS)
    assert response.status_code == 200
    return response.content.decode()


def signed_in(user: User, **options: bool) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_a_change_on_a_kept_card_shows_at_the_next_refresh(nurse_client):
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    first = nurse_client.get(ROWS)
    assert "· review" not in card(first.content.decode(), e)
    Escalation.objects.filter(pk=e.pk).update(needs_review=True)
    changed = nurse_client.get(ROWS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "· review" in card(changed.content.decode(), e)


def test_an_edited_patient_shows_on_her_kept_card_at_the_next_rendering(nurse_client):
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    assert "+13125550199" not in card(rows_of(nurse_client), e)
    # Not a change the version sees (at worst a minute late): the card's key sees it.
    Patient.objects.filter(pk=e.patient_id).update(phone="+13125550199")
    assert "+13125550199" in card(rows_of(nurse_client), e)


def test_a_new_report_on_a_kept_card_shows_in_its_history(nurse_client):
    e = make_escalation()
    assert "New report attached" not in card(rows_of(nurse_client), e)
    e.events.create(kind="attached")
    assert "New report attached" in card(rows_of(nurse_client), e)


def test_the_post_op_day_moves_on_at_midnight_without_any_change(nurse_client):
    # Two minutes before midnight in Chicago, the clinic's zone: the kept card is still fresh.
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        e = make_escalation()
        assert "post-op day 6" in card(rows_of(nurse_client), e)
    with time_machine.travel(BEFORE_MIDNIGHT + dt.timedelta(minutes=3), tick=False):
        assert "post-op day 7" in card(rows_of(nurse_client), e)


def test_a_colleagues_kept_card_never_carries_her_assignment_or_rights():
    team = make_team()
    e = make_escalation(care_team=team)
    nurse = make_user(username="nina")
    auditor = make_user(username="audrey", role=User.Role.AUDITOR)
    team.members.add(nurse, auditor)
    escalations.assign(e.pk, nurse)
    nurses = card(rows_of(signed_in(nurse)), e)
    assert "Acknowledge" in nurses and "Assign to me" not in nurses
    # Same card, same data, kept a moment ago: another user gets her own rendering.
    auditors = card(rows_of(signed_in(auditor)), e)
    assert "Acknowledge" not in auditors and "csrfmiddlewaretoken" not in auditors
    colleague = make_user(username="cole")
    team.members.add(colleague)
    colleagues = card(rows_of(signed_in(colleague)), e)
    assert "Assign to me" in colleagues


def test_another_teams_nurse_never_gets_a_kept_card():
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    e.patient.care_team.members.add(make_user(username="nina"))
    assert "Ana Ruiz" in rows_of(signed_in(User.objects.get(username="nina")))
    stranger = make_user(username="sam")
    make_team(name="Elsewhere").members.add(stranger)
    assert "Ana Ruiz" not in rows_of(signed_in(stranger))


def test_a_kept_cards_forms_carry_a_fresh_token_that_works():
    e = make_escalation()
    nurse = make_user(username="nina")
    e.patient.care_team.members.add(nurse)
    client = signed_in(nurse, enforce_csrf_checks=True)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = token.findall(card(rows_of(client), e))
    second = token.findall(card(rows_of(client), e))
    # Masked afresh for each response (BREACH), though the card itself was kept.
    assert first and second and set(first).isdisjoint(second)
    response = client.post(reverse("acknowledge", args=[e.pk]), {"csrfmiddlewaretoken": second[0]})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == Escalation.Status.ACKNOWLEDGED


def test_leaving_a_team_changes_the_kept_version_statements_answer():
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    team = e.patient.care_team
    nurse = make_user(username="nina")
    make_team(name="Other").members.add(nurse)
    team.members.add(nurse)
    client = signed_in(nurse)
    first = client.get(ROWS)
    assert "Ana Ruiz" in first.content.decode()
    # Still on a team, so the statement keeps its shape and is reused: membership is read
    # when it runs.
    team.members.remove(nurse)
    after = client.get(ROWS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "Ana Ruiz" not in after.content.decode()


@pytest.mark.parametrize(
    "change, shows",
    [
        # Each row a card shows, changed behind the dashboard's back (no event, no version
        # column): the card's fingerprint covers every column of every one of them.
        (lambda e, nurse: CareTeam.objects.filter(pk=e.patient.care_team_id).update(
            time_zone="Asia/Tokyo"), "JST"),
        (lambda e, nurse: InboundMessage.objects.filter(message_sid="SM" + "c" * 32).update(
            body="the numbness is worse now"), "the numbness is worse now"),
        (lambda e, nurse: User.objects.filter(pk=nurse.pk).update(
            first_name="Nina", last_name="Okafor"), "Nina Okafor"),
        (lambda e, nurse: OutboundMessage.objects.create(
            to=nurse.phone, body="page", kind="page", escalation=e), "paged 1 time"),
    ],
    ids=["team's time zone", "report's words", "acknowledger's name", "a page sent"],
)  # fmt: skip
def test_any_row_a_kept_card_shows_changed_shows_at_the_next_refresh(nurse_client, change, shows):
    e = make_escalation()
    message = InboundMessage.objects.create(
        message_sid="SM" + "c" * 32, from_number=e.patient.phone, body="my foot is numb",
        sender="patient", patient=e.patient, assessment={"findings": ["numbness"]},
    )  # fmt: skip
    e.events.create(kind="opened", message=message)
    escalations.acknowledge(e.pk, nurse_client.nurse)
    assert shows not in card(rows_of(nurse_client), e)
    change(e, nurse_client.nurse)
    assert shows in card(rows_of(nurse_client), e)


def test_a_refresh_reads_whole_only_the_cards_that_changed(nurse_client):
    kept, changed = make_escalation(), make_escalation()
    first = nurse_client.get(ROWS)
    changed.events.create(kind="attached")
    with CaptureQueriesContext(connection) as queries:
        second = nurse_client.get(ROWS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "New report attached" in card(second.content.decode(), changed)
    assert card(second.content.decode(), kept)
    # The escalation's own columns with its patient's (read whole): only the changed card's.
    whole = [
        q["sql"] for q in queries if '"followup_patient"."mrn"' in q["sql"] and " IN (" in q["sql"]
    ]
    assert len(whole) == 1
    assert f"IN ({changed.pk})" in whole[0] and str(kept.pk) not in whole[0].split(" IN (")[1]


def test_a_change_landing_between_the_list_and_the_card_is_never_kept_under_the_older_key(
    nurse_client, monkeypatch
):
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    on_file = e.patient.phone
    read_whole = dashboard.full_cards

    def a_colleague_edits_the_phone_meanwhile(user, listed, now):
        Patient.objects.filter(pk=e.patient_id).update(phone="+13125550199")
        return read_whole(user, listed, now)

    monkeypatch.setattr(dashboard, "full_cards", a_colleague_edits_the_phone_meanwhile)
    # The list was read before the edit, the card's rows after it: the card shows the edit.
    assert "+13125550199" in card(rows_of(nurse_client), e)
    monkeypatch.undo()
    # The edit undone: the rows are as the first list read them, and the card says so.
    Patient.objects.filter(pk=e.patient_id).update(phone=on_file)
    shown = card(rows_of(nurse_client), e)
    assert on_file in shown and "+13125550199" not in shown
