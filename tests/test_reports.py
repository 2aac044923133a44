"""Team reports: figures checked by hand on seeded data, a fixed query count, the CSV export."""

import csv
import datetime as dt
import io
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import csv_export, reports
from followup.models import (
    Answer,
    AuditEvent,
    CareItem,
    CheckIn,
    Enrollment,
    Escalation,
    InboundMessage,
    Severity,
)
from tests.factories import make_enrolled_patient, make_patient, make_team, make_user

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)
RANGE = {"start": "2026-03-01", "end": "2026-03-30"}
_sid = itertools.count(1)


@pytest.fixture
def team():
    return make_team(name="North")


@pytest.fixture
def lead(client, team):
    user = make_user(username="lea")
    team.members.add(user)
    client.force_login(user)
    return user


def enrolled(team, at):
    patient, enrollment = make_enrolled_patient(care_team=team)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at)
    return patient, enrollment


def send(checkin, at, status, answered=False):
    CheckIn.objects.filter(pk=checkin.pk).update(sent_at=at, status=status)
    if answered:
        patient = checkin.enrollment.patient
        message = InboundMessage.objects.create(
            message_sid=f"SM{next(_sid):032d}",
            from_number=patient.phone,
            body="ok",
            sender=InboundMessage.Sender.PATIENT,
            patient=patient,
        )
        Answer.objects.create(patient=patient, checkin=checkin, message=message, question="general")


def escalate(team, minutes, findings, severity=Severity.URGENT, outcome="", opened=DAY):
    ack = None if minutes is None else opened + dt.timedelta(minutes=minutes)
    return Escalation.objects.create(
        patient=make_patient(care_team=team),
        severity=severity,
        findings=findings,
        status=Escalation.Status.RESOLVED,
        opened_at=opened,
        acknowledged_at=ack,
        outcome=outcome,
    )


def seed(team):
    """Three enrolled in March (one in February), four check-ins sent in March, six escalations."""
    (a, first), (b, _), (c, _) = enrolled(team, DAY), enrolled(team, DAY), enrolled(team, DAY)
    enrolled(team, BEFORE)
    planned = list(first.checkins.order_by("due_at"))
    send(planned[0], DAY, CheckIn.Status.COMPLETED, answered=True)
    send(planned[1], DAY, CheckIn.Status.ESCALATED, answered=True)
    send(planned[2], DAY, CheckIn.Status.MISSED)
    send(planned[3], DAY, CheckIn.Status.AWAITING)
    send(planned[4], BEFORE, CheckIn.Status.COMPLETED, answered=True)
    for patient, at in ((a, DAY), (b, DAY), (c, BEFORE)):
        CareItem.objects.create(patient=patient, kind=CareItem.Kind.NO_RESPONSE, created_at=at)
    CareItem.objects.create(patient=a, kind=CareItem.Kind.OPTED_OUT, created_at=DAY)
    make_patient(care_team=team, sms_opted_out_at=DAY)
    make_patient(care_team=team, sms_opted_out_at=BEFORE)
    escalate(team, 10, ["fever"], outcome="advice")
    escalate(team, 20, ["fever", "wound"], outcome="clinic_visit")
    escalate(team, 30, ["numbness"], Severity.EMERGENCY, outcome="advised_ed")
    escalate(team, 40, ["saddle_numbness"], Severity.EMERGENCY, outcome="advised_ed")
    escalate(team, 100, ["fever"], Severity.ROUTINE)
    escalate(team, None, ["wound"])
    escalate(team, 5, ["fever"], opened=BEFORE)


def test_the_figures_match_the_hand_count(client, lead, team):
    seed(team)
    seed(make_team(name="South"))  # another team's figures must not leak in
    response = client.get(reverse("reports"), RANGE)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.enrolled == 3
    assert (report.checkins_sent, report.checkins_answered, report.checkins_missed) == (4, 2, 1)
    assert report.response_rate == 0.5
    assert (report.no_response_items, report.opted_out) == (2, 1)
    assert (report.escalations, report.acknowledged) == (6, 5)
    # Waits 10, 20, 30, 40, 100 min: the median is the middle one; p90 sits at rank 3.6,
    # 40 + 0.6 * (100 - 40) = 76 min.
    assert report.median_ack == dt.timedelta(minutes=30)
    assert report.p90_ack == dt.timedelta(minutes=76)
    assert {code: n for code, _, n in report.by_finding} == {
        "fever": 3,
        "wound": 2,
        "numbness": 1,
        "saddle_numbness": 1,
    }
    assert {value: n for value, _, n in report.by_severity} == {3: 2, 2: 3, 1: 1, 0: 0}
    assert {value: n for value, _, n in report.by_outcome} == {
        "advised_ed": 2,
        "clinic_visit": 1,
        "advice": 1,
        "no_action": 0,
        "unreachable": 0,
    }
    html = response.content.decode()
    assert "50%" in html and "30 min" in html and "76 min" in html
    assert 'data-report-chart="' in html


def test_one_team_of_mine_is_reported_alone(client, lead, team):
    other = make_team(name="East")
    other.members.add(lead)
    escalate(other, 10, ["fever"])
    escalate(team, 10, ["fever"])
    escalate(team, 10, ["wound"])
    report = client.get(reverse("reports"), {**RANGE, "team": other.pk}).context["report"]
    assert report.escalations == 1
    mine = client.get(reverse("reports"), RANGE).context["report"]
    assert mine.escalations == 3


def test_a_team_not_mine_reports_nothing(client, lead, team):
    south = make_team(name="South")
    escalate(south, 10, ["fever"])
    report = client.get(reverse("reports"), {**RANGE, "team": south.pk}).context["report"]
    assert report.escalations == 0


def test_the_default_period_is_the_last_thirty_days(client, lead, team, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC))
    escalate(team, 10, ["fever"], opened=dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC))
    escalate(team, 10, ["fever"], opened=dt.datetime(2026, 3, 1, 23, 59, tzinfo=dt.UTC))
    response = client.get(reverse("reports"))
    assert (response.context["start"], response.context["end"]) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 31),
    )
    assert response.context["report"].escalations == 1


def test_an_empty_period_has_no_rate_and_no_waits(client, lead):
    response = client.get(reverse("reports"), RANGE)
    report = response.context["report"]
    assert report.response_rate is None
    assert (report.median_ack, report.p90_ack) == (None, None)
    assert reports.csv_rows(report)[3] == ["summary", "response rate", ""]


@pytest.mark.parametrize("count", [1, 4])
def test_the_report_query_count_does_not_grow_with_data(
    client, lead, team, count, django_assert_max_num_queries
):
    for _ in range(count):
        seed(team)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports"), RANGE).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("report-export"), RANGE).status_code == 200


def test_the_csv_export_carries_the_figures_and_is_audited(client, lead, team):
    seed(team)
    response = client.get(reverse("report-export"), {**RANGE, "team": team.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item", "value"]
    figures = {(section, item): value for section, item, value in rows[1:]}
    assert figures["summary", "check-ins sent"] == "4"
    assert figures["summary", "response rate"] == "0.500"
    assert figures["summary", "median minutes to acknowledge"] == "30.0"
    assert figures["summary", "90th percentile minutes to acknowledge"] == "76.0"
    assert figures["finding", "Fever"] == "3"
    event = AuditEvent.objects.get(action="export.report")
    assert event.user == lead
    assert event.detail == f"2026-03-01..2026-03-30 team={team.pk}"
    assert AuditEvent.objects.filter(action="view.report").count() == 0


def test_viewing_a_report_is_audited(client, lead):
    client.get(reverse("reports"), RANGE)
    assert AuditEvent.objects.get(action="view.report").detail == "2026-03-01..2026-03-30"


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_export.neutralise(f"{start}1") == f"'{start}1"
    assert csv_export.neutralise("1-2") == "1-2"
    assert csv_export.neutralise(None) == ""
    text = "".join(csv_export.lines(["=head"], [["=SUM(A1)"], ["@x"], ["plain"], [-3]]))
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=head"],
        ["'=SUM(A1)"],
        ["'@x"],
        ["plain"],
        ["'-3"],
    ]


@pytest.mark.parametrize(
    ("fraction", "minutes"), [(0.0, 10), (0.5, 30), (0.9, 76), (1.0, 100), (0.25, 20)]
)
def test_percentiles_interpolate_like_postgresql(fraction, minutes):
    waits = [dt.timedelta(minutes=m) for m in (10, 20, 30, 40, 100)]
    assert reports.percentile(waits, fraction) == dt.timedelta(minutes=minutes)
    assert reports.percentile([], fraction) is None


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_in_a_year_nobody_means_is_ignored_like_any_unreadable_date(client, lead, day):
    for name in ("reports", "report-export"):
        response = client.get(reverse(name), {"start": day, "end": day})
        assert response.status_code == 200
    # The default period stands in for it, as for any date that does not parse.
    assert client.get(reverse("reports"), {"end": day}).context["end"] == timezone.localdate()
