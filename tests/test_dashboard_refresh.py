"""Watching the dashboard: an unchanged refresh is a 304, anything new or any time boundary is
not, and the first screen stays bounded with every emergency on it."""

import datetime as dt
import gzip
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup import dashboard_lists
from followup import escalation as escalations
from followup.models import AuditEvent, Escalation, InboundMessage, Severity
from tests import factories, test_dashboard
from tests.factories import make_patient, make_user
from tests.test_dashboard import make_escalation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_minute")]
ROWS = reverse("dashboard-rows")
# A nurse on every team the test makes, signed in.
nurse_client = test_dashboard.nurse_client
# Mid-minute, so a few seconds later is still the same minute.
NOON = dt.datetime(2026, 3, 10, 18, 0, 5, tzinfo=dt.UTC)


def refresh(client, etag=None, **params):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(ROWS, params, **headers)


def cards(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-escalation="(\d+)"', html)]


def test_an_unchanged_refresh_is_a_304_without_rendering_or_recording(nurse_client):
    make_escalation(first_name="Ana", last_name="Ruiz")
    first = refresh(nurse_client)
    assert first.status_code == 200 and "Ana Ruiz" in first.content.decode()
    recorded = AuditEvent.objects.count()
    again = refresh(nurse_client, first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert again.templates == []
    # Not a view: the browser keeps what it was sent, and that sending is on record.
    assert AuditEvent.objects.count() == recorded


def test_the_pages_own_version_makes_its_first_refresh_a_304(nurse_client):
    make_escalation()
    html = nurse_client.get("/").content.decode()
    version = re.search(r'data-version="(&quot;[0-9a-f]+&quot;)"', html)[1].replace("&quot;", '"')
    assert refresh(nurse_client, version).status_code == 304


def test_a_new_escalation_is_sent_at_the_next_refresh(nurse_client):
    make_escalation(first_name="Ana", last_name="Ruiz")
    etag = refresh(nurse_client)["ETag"]
    make_escalation(Severity.EMERGENCY, first_name="Bea", last_name="Soto")
    changed = refresh(nurse_client, etag)
    assert changed.status_code == 200 and "Bea Soto" in changed.content.decode()
    assert refresh(nurse_client, changed["ETag"]).status_code == 304


def test_an_acknowledgement_an_assignment_and_a_resolution_are_each_sent(nurse_client):
    e = make_escalation(first_name="Ana", last_name="Ruiz")
    colleague = make_user(username="cole")
    etag = refresh(nurse_client)["ETag"]
    escalations.acknowledge(e.pk, colleague)
    acked = refresh(nurse_client, etag)
    assert acked.status_code == 200 and f"acknowledged by {colleague}" in acked.content.decode()
    # Assigning adds no event: the row itself says it changed.
    escalations.assign(e.pk, colleague)
    assigned = refresh(nurse_client, acked["ETag"])
    assert assigned.status_code == 200 and f"assigned to {colleague}" in assigned.content.decode()
    escalations.resolve(e.pk, colleague, "advice")
    resolved = refresh(nurse_client, assigned["ETag"])
    assert resolved.status_code == 200 and cards(resolved.content.decode()) == []


def test_another_teams_escalation_leaves_the_refresh_unchanged(nurse_client):
    # (Had it an event, that would cost one rendering: the newest event of any team counts.)
    make_escalation()
    etag = refresh(nurse_client)["ETag"]
    stranger = factories.make_patient(care_team=factories.CareTeam.objects.create(name="Other"))
    Escalation.objects.create(patient=stranger, severity=Severity.EMERGENCY, findings=["fever"])
    assert refresh(nurse_client, etag).status_code == 304


def test_minutes_since_an_acknowledgement_tick_over_without_any_change(nurse_client):
    with time_machine.travel(NOON, tick=False):
        e = make_escalation()
        escalations.acknowledge(e.pk, nurse_client.nurse)
        first = refresh(nurse_client)
        assert "0 min ago" in first.content.decode()
    with time_machine.travel(NOON + dt.timedelta(seconds=50), tick=False):
        assert refresh(nurse_client, first["ETag"]).status_code == 304
    with time_machine.travel(NOON + dt.timedelta(seconds=61), tick=False):
        later = refresh(nurse_client, first["ETag"])
        assert later.status_code == 200 and "1 min ago" in later.content.decode()


def test_a_reply_left_untriaged_past_its_deadline_shows_within_the_same_minute(
    nurse_client, settings
):
    settings.TRIAGE_OVERDUE_SECONDS = 10
    patient = make_patient()
    with time_machine.travel(NOON, tick=False):
        InboundMessage.objects.create(
            message_sid="SMlate", from_number=patient.phone, body="legs feel odd",
            sender="patient", patient=patient, assessment={"findings": []},
        )  # fmt: skip
        first = refresh(nurse_client)
        assert "legs feel odd" not in first.content.decode()
    with time_machine.travel(NOON + dt.timedelta(seconds=11), tick=False):
        overdue = refresh(nurse_client, first["ETag"])
    assert overdue.status_code == 200
    assert "Not yet triaged by the worker" in overdue.content.decode()


def test_every_emergency_is_on_the_first_screen_however_many_are_open(nurse_client, monkeypatch):
    monkeypatch.setattr(dashboard_lists, "SHOWN", 3)
    team = make_patient().care_team
    emergencies = [
        make_escalation(Severity.EMERGENCY, minutes_ago=i, care_team=team) for i in range(5)
    ]
    urgent = [make_escalation(Severity.URGENT, minutes_ago=i, care_team=team) for i in range(4)]
    routine = [make_escalation(Severity.ROUTINE, minutes_ago=i, care_team=team) for i in range(2)]
    html = refresh(nurse_client).content.decode()
    oldest_first = sorted(emergencies, key=lambda e: e.opened_at)
    # Every emergency, then the limit's worth of the most severe (oldest first) of the rest.
    assert cards(html) == [e.pk for e in oldest_first] + [e.pk for e in urgent[::-1][:3]]
    assert '<span class="count" id="escalation-count">11</span>' in html
    counts = re.search(r'id="severity-counts"[^>]*>(.*?)</p>', html)[1]
    assert re.sub(r"<[^>]+>", "", counts) == (
        "Emergency 5 · Urgent 4 · Routine 2 · showing the 8 most severe"
    )
    assert "Show more escalations (8 of 11 shown)" in html
    # Show more: the link's query, on the page and on its refresh.
    more = re.search(r'href="\?(escalations=\d+)#escalations-more"', html)[1]
    assert more == "escalations=6"
    page = nurse_client.get(f"/?{more}").content.decode()
    assert len(cards(page)) == 11 and "Show more escalations" not in page
    assert f'data-src="{ROWS}?{more}"' in page
    assert cards(refresh(nurse_client, escalations=6).content.decode()) == cards(page)
    assert set(cards(page)) == {e.pk for e in emergencies + urgent + routine}


def test_a_waiting_red_flag_heads_a_long_review_list(nurse_client, monkeypatch):
    monkeypatch.setattr(dashboard_lists, "SHOWN", 2)
    for n in range(4):
        InboundMessage.objects.create(
            message_sid=f"SMunknown{n}", from_number=f"+1872555000{n}", body=f"who {n}",
            sender="unknown", assessment={"findings": []}, processed_at=timezone.now(),
        )  # fmt: skip
    patient = make_patient()
    InboundMessage.objects.create(
        message_sid="SMflag", from_number=patient.phone, body="i peed myself", sender="patient",
        patient=patient, assessment={"findings": ["bladder"], "severity": "emergency"},
    )  # fmt: skip
    html = refresh(nurse_client).content.decode()
    assert "i peed myself" in html and "who 0" in html and "who 1" not in html
    assert "Show more messages (2 of 5 shown)" in html
    assert "who 3" in refresh(nurse_client, messages=5).content.decode()


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1e3", "²", "100001", "9" * 5000])
def test_a_bad_row_count_is_a_400_that_says_why(nurse_client, value):
    for url in ("/", ROWS):
        response = nurse_client.get(url, {"escalations": value})
        assert response.status_code == 400
        assert "escalations must be a whole number" in response.content.decode()


def test_the_rows_are_compressed(nurse_client):
    for _ in range(3):
        make_escalation()
    response = nurse_client.get(ROWS, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert b"data-escalation=" in gzip.decompress(response.content)
    # The compressed answer's (weak) ETag still matches an unchanged refresh.
    assert refresh(nurse_client, response["ETag"]).status_code == 304


def test_ids_of_worked_on_cards_that_are_not_ids_are_ignored(nurse_client):
    make_escalation()
    working = ",".join(["x", "²", "-1", str(10**30), "9" * 5000])
    assert refresh(nurse_client, working=working).status_code == 200


def test_the_measure_of_an_unchanged_refresh_counts_only_304s_across_a_minute(nurse_client):
    from tests.measure_dashboard import timed_unchanged

    make_escalation()
    with time_machine.travel(NOON + dt.timedelta(seconds=50), tick=False) as clock:
        real_get = nurse_client.get

        def get(*args, **kwargs):
            # Every third poll lands in the next minute: its refresh is a changed one.
            clock.shift(dt.timedelta(seconds=4))
            return real_get(*args, **kwargs)

        nurse_client.get = get
        ms, queries, status, size = timed_unchanged(nurse_client, ROWS, 6)
    assert (status, size) == (304, 0)
    assert queries == 3 and ms > 0


def unchanged_poll_tables(client) -> list[str]:
    """The table each statement of an unchanged refresh reads first (the version: its own)."""
    # One instant for both polls: a minute turning between them would change the version.
    with time_machine.travel(NOON, tick=False):
        etag = refresh(client)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            assert refresh(client, etag).status_code == 304
    return [
        # Planned once per connection, the version is run as an EXECUTE of what was prepared.
        "version"
        if q["sql"].startswith("EXECUTE kept_")
        else re.search(r'FROM "(\w+)"', q["sql"])[1]
        for q in queries
    ]


def test_an_unchanged_refresh_reads_the_session_the_user_and_the_version(nurse_client):
    make_escalation()
    assert unchanged_poll_tables(nurse_client) == ["django_session", "followup_user", "version"]


def test_with_a_second_step_an_unchanged_refresh_also_reads_the_device(nurse_client):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make_escalation()
    device = TOTPDevice.objects.create(user=nurse_client.nurse, name="phone", confirmed=True)
    session = nurse_client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert unchanged_poll_tables(nurse_client) == [
        "django_session", "followup_user", "otp_totp_totpdevice", "version",
    ]  # fmt: skip


def test_the_version_is_planned_once_per_connection_and_then_runs_on_one_plan(nurse_client):
    make_escalation()
    with time_machine.travel(NOON, tick=False):
        etag = refresh(nurse_client)["ETag"]
        for _ in range(10):
            assert refresh(nurse_client, etag).status_code == 304
    with connection.cursor() as cursor:
        # Other tests' nurses' versions may be prepared on this connection too: hers names her.
        cursor.execute(
            "SELECT parameter_types::text[], generic_plans, custom_plans"
            " FROM pg_prepared_statements"
            " WHERE statement LIKE '%%sum(hash_record_extended(r, 0))%%'"
            " AND statement LIKE %s",
            [f'%"user_id" = {nurse_client.nurse.pk})%'],
        )
        [(types, generic, custom)] = cursor.fetchall()
    # Only the clock is a parameter (an untriaged reply's deadline, a stuck send's): the rest is
    # written in, so the one plan PostgreSQL keeps after its first five still uses the partial
    # indexes of open escalations and of messages to review.
    assert types == ["timestamp with time zone"] * 2
    assert (generic, custom) == (6, 5)


def test_a_nurse_who_joins_a_team_sees_unknown_senders_at_her_next_refresh(client):
    InboundMessage.objects.create(
        message_sid="SM" + "u" * 32, from_number="+17735550123", body="who is this",
        sender=InboundMessage.Sender.UNKNOWN, assessment={"findings": []},
        processed_at=timezone.now(),
    )  # fmt: skip
    nurse = make_user(username="newcomer")
    client.force_login(nurse)
    first = refresh(client)
    assert "who is this" not in first.content.decode()
    # The same statement, kept by this process, reads her membership as it runs.
    factories.make_team(name="Her first team").members.add(nurse)
    joined = refresh(client, first["ETag"])
    assert joined.status_code == 200 and "who is this" in joined.content.decode()
    factories.make_team(name="Her second team").members.add(nurse)
    assert refresh(client, joined["ETag"]).status_code == 304
