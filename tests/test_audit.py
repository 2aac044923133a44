"""The audit log: helpers write events, the database keeps them, auditors read and export."""

import csv
import datetime as dt
import io
import sys

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from followup import audit, audit_views
from followup.models import AuditEvent, User
from followup.pagination import PAGE_SIZE
from tests import factories
from tests.factories import make_patient, make_user

pytestmark = pytest.mark.django_db


def request_by(user, path="/escalations/1/acknowledge/", method="post", **meta):
    request = getattr(RequestFactory(), method)(path, **meta)
    request.user = user
    return request


def test_viewed_records_the_user_the_patients_shown_and_the_request():
    nurse = make_user()
    request = request_by(nurse, "/rows/", "get", REMOTE_ADDR="10.1.2.3")
    event = audit_views.viewed(request, audit.VIEW_DASHBOARD, [7, 3, 7])
    event.refresh_from_db()
    assert event.user == nurse
    assert event.username == nurse.username
    assert event.action == "view.dashboard"
    assert event.patients == [3, 7]
    assert event.patient_id is None
    assert (event.remote_addr, event.method, event.path) == ("10.1.2.3", "GET", "/rows/")


def test_acted_records_the_patient_and_the_detail():
    nurse = make_user()
    patient = make_patient()
    event = audit_views.acted(request_by(nurse), audit.ACKNOWLEDGE, patient, "escalation 12")
    event.refresh_from_db()
    assert (event.action, event.patient_id, event.detail) == (
        "action.acknowledge",
        patient.pk,
        "escalation 12",
    )
    assert event.method == "POST"


def test_record_without_a_user_is_the_system():
    event = audit.record(None, audit.PRUNE_AUDIT, detail="0 older than 2020-01-01")
    assert event.username == ""
    assert str(event).startswith("prune.audit by system at ")


def test_a_dashboard_without_patients_writes_nothing():
    nurse = make_user()
    assert audit_views.dashboard_viewed(request_by(nurse, "/rows/", "get"), []) is None
    assert not AuditEvent.objects.exists()
    event = audit_views.dashboard_viewed(request_by(nurse, "/rows/", "get"), [5])
    assert event is not None and event.patients == [5]


def test_patient_ids_collects_the_patients_of_rows_shown():
    rows = [type("Row", (), {"patient_id": pk})() for pk in (4, None, 2, 4)]
    assert audit.patient_ids(rows, [rows[2]]) == [2, 4]


def test_the_forwarded_address_counts_only_behind_our_proxy(settings):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    settings.USE_X_FORWARDED_HOST = False
    assert audit.client_address(meta) == "10.0.0.1"
    settings.USE_X_FORWARDED_HOST = True
    forwarded = {**meta, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    # The hop our proxy appended, not what the client sent ahead of it.
    assert audit.client_address(forwarded) == "203.0.113.9"
    assert audit.client_address({**meta, "HTTP_X_FORWARDED_FOR": "junk"}) == "10.0.0.1"
    assert audit.client_address({}) is None


def test_a_deleted_patient_stays_on_record_by_id():
    patient = make_patient()
    event = audit_views.acted(request_by(make_user()), audit.VIEW_PATIENT, patient)
    pk = patient.pk
    patient.delete()
    assert AuditEvent.objects.get(pk=event.pk).patient_id == pk


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE followup_auditevent SET detail = 'changed' WHERE id = %s",
        "DELETE FROM followup_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_event(sql):
    event = audit.record(None, audit.VIEW_ADMIN, detail="original")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.detail == "original"


def test_the_orm_cannot_delete_an_audit_event_either():
    event = audit.record(None, audit.VIEW_ADMIN)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_prune_deletes_only_events_older_than_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    # Inserting is allowed, so old events can be written as they were.
    AuditEvent.objects.create(at=now - dt.timedelta(days=31), action="view.admin", detail="old")
    AuditEvent.objects.create(at=now - dt.timedelta(days=29), action="view.admin", detail="kept")
    out = io.StringIO()
    call_command("prune_audit", "--now", now.isoformat(), stdout=out)
    assert out.getvalue().strip() == "Deleted 1 audit event."
    remaining = AuditEvent.objects.order_by("pk")
    assert [e.detail for e in remaining] == [
        "kept",
        f"1 older than {now - dt.timedelta(30):%Y-%m-%d}",
    ]
    assert remaining.last().action == "prune.audit"


def test_the_prune_setting_ends_with_the_prune_transaction():
    call_command("prune_audit", stdout=io.StringIO())
    event = audit.record(None, audit.VIEW_ADMIN)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def sign_in(client, user):
    client.force_login(user)


@pytest.fixture
def auditor_client(client, monkeypatch):
    """An auditor of one team that every patient and every staff member of the test is on."""
    ada = make_user(username="ada", role=User.Role.AUDITOR)
    team = factories.make_team(name="Audited")
    team.members.add(ada)
    make_user_ = factories.make_user

    def make_member(**overrides):
        user = make_user_(**overrides)
        team.members.add(user)
        return user

    monkeypatch.setattr(factories, "make_team", lambda **overrides: team)
    monkeypatch.setattr(sys.modules[__name__], "make_user", make_member)
    sign_in(client, ada)
    return client


def test_the_audit_page_searches_by_mrn_and_by_user_newest_first(auditor_client):
    patient = make_patient(mrn="MRN777001")
    other = make_patient()
    nurse = make_user(username="nina")
    audit.record(nurse, audit.VIEW_PATIENT, patient, detail="first")
    audit.record(nurse, audit.VIEW_PATIENT, other, detail="someone else")
    audit.record(make_user(), audit.VIEW_DASHBOARD, patients=[other.pk, patient.pk], detail="list")
    audit.record(nurse, audit.ACKNOWLEDGE, patient, detail="second")

    response = auditor_client.get("/audit/", {"patient": "mrn777001"})
    assert response.status_code == 200
    details = [e.detail for e in response.context["page"]]
    assert details == ["second", "list", "first"]

    response = auditor_client.get("/audit/", {"patient": str(patient.pk), "user": "NINA"})
    assert [e.detail for e in response.context["page"]] == ["second", "first"]
    assert b"MRN777001" in response.content


def test_reading_the_audit_page_is_itself_on_record(auditor_client):
    patient = make_patient()
    audit.record(None, audit.VIEW_PATIENT, patient)
    auditor_client.get("/audit/", {"patient": str(patient.pk)})
    event = AuditEvent.objects.filter(action="view.audit").get()
    assert (event.username, event.patients) == ("ada", [patient.pk])
    assert event.detail == f"patient={patient.pk}"


def test_the_audit_page_is_paginated(auditor_client):
    nurse = make_user(username="nina")
    for n in range(PAGE_SIZE + 1):
        audit.record(nurse, audit.VIEW_ADMIN, detail=f"event {n}")
    first = auditor_client.get("/audit/", {"user": "nina"}).context["page"]
    assert first.paginator.num_pages == 2
    assert first[0].detail == f"event {PAGE_SIZE}"
    second = auditor_client.get("/audit/", {"user": "nina", "page": 2}).context["page"]
    assert [e.detail for e in second] == ["event 0"]


def test_the_csv_export_neutralises_formulas_and_is_audited(auditor_client):
    patient = make_patient()
    audit.record(None, audit.VIEW_PATIENT, patient, detail='=HYPERLINK("http://x")')
    audit.record(None, audit.VIEW_PATIENT, patient, detail="@SUM(A1)")
    audit.record(None, audit.VIEW_PATIENT, patient, detail="plain")
    response = auditor_client.get("/audit/export.csv", {"patient": patient.mrn})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["detail"] for r in rows] == ["plain", "'@SUM(A1)", '\'=HYPERLINK("http://x")']
    assert {r["patient_id"] for r in rows} == {str(patient.pk)}
    export = AuditEvent.objects.get(action="export.audit")
    assert (export.username, export.detail) == ("ada", f"patient={patient.mrn}")


def test_neutralise_prefixes_each_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert audit_views.neutralise(f"{start}1") == f"'{start}1"
    assert audit_views.neutralise("1-2") == "1-2"
    assert audit_views.neutralise(None) == ""


@pytest.mark.parametrize("role", [User.Role.AUDITOR, User.Role.TEAM_LEAD])
def test_auditors_and_team_leads_read_the_audit_log(client, role):
    sign_in(client, make_user(role=role))
    assert client.get("/audit/").status_code == 200
    assert client.get("/audit/export.csv").status_code == 200


@pytest.mark.parametrize("role", [User.Role.NURSE, User.Role.SURGEON, User.Role.ADMIN])
def test_other_roles_get_403_from_the_audit_pages(client, role):
    sign_in(client, make_user(role=role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="export.audit").exists()


def test_a_superuser_reads_the_audit_log(client):
    sign_in(client, make_user(role=User.Role.NURSE, is_superuser=True))
    assert client.get("/audit/").status_code == 200


def test_the_audit_pages_require_sign_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db(transaction=True)
def test_committed_events_are_kept_and_the_test_flush_still_empties_the_table():
    # Django's flush after this test uses TRUNCATE, which the trigger leaves to the table owner.
    event = audit.record(None, audit.VIEW_ADMIN)
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    assert AuditEvent.objects.get(pk=event.pk).detail == ""
