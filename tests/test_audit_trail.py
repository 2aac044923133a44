"""The audit trail from the pages: what a view showed or changed is written, once, by whom."""

import pytest
from django.urls import reverse

from followup.models import AuditEvent, CareTeam, Escalation, Severity, User
from tests.factories import make_patient, make_team, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_minute")]


@pytest.fixture
def team_nurse(client):
    team = make_team()
    nurse = make_user(username="nadia")
    team.members.add(nurse)
    client.force_login(nurse)
    patient = make_patient(care_team=team)
    escalation = Escalation.objects.create(
        patient=patient, severity=Severity.URGENT, findings=["fever"], evidence={"fever": "hot"}
    )
    return nurse, patient, escalation


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("at"))


def test_the_dashboard_records_the_patients_it_showed(client, team_nurse):
    nurse, patient, _ = team_nurse
    assert client.get("/").status_code == 200
    [event] = events("view.dashboard")
    assert (event.user, event.patients, event.path) == (nurse, [patient.pk], "/")


def test_a_refresh_records_what_it_showed_and_an_unchanged_one_writes_nothing(client, team_nurse):
    _, patient, _ = team_nurse
    first = client.get("/rows/", HTTP_X_AUTO_REFRESH="1")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/rows/", HTTP_X_AUTO_REFRESH="1", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert len(events("view.dashboard")) == 1
    # Something changed (a new red flag on the team): the refresh sends it and records that.
    second = make_patient(care_team=patient.care_team)
    Escalation.objects.create(patient=second, severity=Severity.EMERGENCY, findings=["fever"])
    changed = client.get("/rows/", HTTP_X_AUTO_REFRESH="1", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert [sorted(e.patients) for e in events("view.dashboard")] == [
        [patient.pk],
        sorted([patient.pk, second.pk]),
    ]


def test_acknowledging_and_resolving_are_recorded_with_the_patient(client, team_nurse):
    nurse, patient, escalation = team_nurse
    client.post(reverse("acknowledge", args=[escalation.pk]))
    client.post(reverse("resolve", args=[escalation.pk]), {"outcome": "advice", "note": "ok"})
    [ack] = events("action.acknowledge")
    [resolved] = events("action.resolve")
    assert (ack.user, ack.patient_id, ack.detail) == (
        nurse,
        patient.pk,
        f"escalation {escalation.pk}",
    )
    assert resolved.patient_id == patient.pk and "advice" in resolved.detail


def test_an_action_refused_for_another_team_records_nothing_and_changes_nothing(client):
    other = make_patient(care_team=make_team())
    escalation = Escalation.objects.create(patient=other, severity=Severity.EMERGENCY)
    nurse = make_user()
    make_team().members.add(nurse)
    client.force_login(nurse)
    assert client.post(reverse("acknowledge", args=[escalation.pk])).status_code == 404
    assert not events("action.acknowledge")
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN


def test_admin_views_of_patient_data_are_recorded(client):
    admin_user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    patient = make_patient()
    assert client.get(reverse("admin:followup_patient_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:followup_patient_change", args=[patient.pk])).status_code == 200
    )
    listed, opened = events("view.admin")
    assert patient.pk in listed.patients
    assert (opened.patient_id, opened.user) == (patient.pk, admin_user)


def test_on_call_and_backup_must_be_members_of_the_team(client):
    lead = make_user(username="lead", role=User.Role.TEAM_LEAD, is_staff=True, is_superuser=True)
    client.force_login(lead)
    outsider = make_user(username="outsider")
    form = {
        "name": "Spine North",
        "clinic_phone": "+13125550100",
        "time_zone": "America/Chicago",
        "business_days": "12345",
        "business_start": "08:00",
        "business_end": "17:00",
        "on_call": outsider.pk,
        "ack_timeout_minutes": 5,
        "backup_after_minutes": 15,
        "page_repeat_minutes": 10,
        "fever_threshold_f": "100.4",
        "severe_pain_min": 8,
        "pain_jump": 3,
        "constipation_urgent_days": 4,
        "safety_wordings-TOTAL_FORMS": 0,
        "safety_wordings-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:followup_careteam_add"), form)
    assert response.status_code == 200
    assert "is not a member of this team" in response.content.decode()
    assert not CareTeam.objects.filter(name="Spine North").exists()
    client.post(reverse("admin:followup_careteam_add"), {**form, "members": [outsider.pk]})
    assert CareTeam.objects.get(name="Spine North").on_call == outsider


def test_a_team_lead_unlocks_ends_sessions_and_resets_the_authenticator(client):
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    team = make_team()
    lead = make_user(username="lead", role=User.Role.TEAM_LEAD, is_staff=True)
    nurse = make_user(username="locked")
    team.members.add(lead, nurse)
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    other = client_class_login(nurse)
    assert Session.objects.count() == 1
    client.force_login(lead)
    url = reverse("admin:followup_user_changelist")
    for action in ("unlock_sign_in", "end_all_sessions", "reset_authenticator"):
        response = client.post(url, {"action": action, "_selected_action": [nurse.pk]})
        assert response.status_code == 302, action
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert other.get("/").status_code == 302  # signed out everywhere
    assert {e.action for e in AuditEvent.objects.filter(detail="user locked")} == {
        "action.unlock_sign_in",
        "action.end_sessions",
        "action.reset_authenticator",
    }


def client_class_login(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_an_auditor_reads_only_the_events_of_her_teams(client):
    from followup import audit

    north, south = make_team(name="North"), make_team(name="South")
    ours, theirs = make_patient(care_team=north), make_patient(care_team=south)
    auditor = make_user(username="ada", role=User.Role.AUDITOR)
    north_nurse, south_nurse = make_user(username="nora"), make_user(username="sol")
    north.members.add(auditor, north_nurse)
    south.members.add(south_nurse)
    audit.record(north_nurse, audit.VIEW_PATIENT, ours, detail="ours")
    audit.record(south_nurse, audit.VIEW_PATIENT, theirs, detail="theirs")
    audit.record(south_nurse, audit.VIEW_ADMIN, detail="their admin")
    audit.record(north_nurse, audit.VIEW_ADMIN, detail="our admin")
    client.force_login(auditor)
    shown = [e.detail for e in client.get("/audit/").context["page"]]
    assert shown == ["our admin", "ours"]
    assert client.get("/audit/", {"patient": theirs.mrn}).context["page"].object_list == []


def colleague_on_two_teams():
    """A patient of North, one of South, Ada (an auditor on North) and Bo (on both)."""
    north, south = make_team(name="North"), make_team(name="South")
    ours, theirs = make_patient(care_team=north), make_patient(care_team=south)
    auditor, both = make_user(username="ada", role=User.Role.AUDITOR), make_user(username="bo")
    north.members.add(auditor, both)
    south.members.add(both)
    return ours, theirs, auditor, both


def test_an_auditor_finds_nothing_by_another_teams_patient_id(client):
    from followup import audit

    ours, theirs, auditor, both = colleague_on_two_teams()
    # A list page shown to a member of both teams names the other team's patient.
    audit.record(both, audit.VIEW_PATIENT_LIST, patients=[ours.pk, theirs.pk], detail="list")
    client.force_login(auditor)
    assert client.get("/audit/", {"patient": theirs.pk}).context["page"].object_list == []
    export = b"".join(client.get(reverse("audit-export")).streaming_content).decode()
    (listed,) = [row for row in export.splitlines() if ",bo," in row]
    assert listed.split(",")[5] == str(ours.pk)
    superuser = make_user(username="root", is_superuser=True)
    client.force_login(superuser)
    found = client.get("/audit/", {"patient": theirs.pk}).context["page"].object_list
    assert [e.detail for e in found] == ["list"]


def test_a_colleagues_list_of_two_teams_shows_only_ours_and_not_what_she_typed(client):
    from followup import audit

    ours, theirs, auditor, both = colleague_on_two_teams()
    # The search terms can name the other team's patient.
    audit.record(both, audit.VIEW_PATIENT_LIST, patients=[ours.pk, theirs.pk], detail="q=Quill")
    audit.record(both, audit.VIEW_PATIENT_LIST, patients=[ours.pk], detail="q=ours")
    client.force_login(auditor)
    page = client.get("/audit/").content.decode()
    assert "q=Quill" not in page and "2 patients listed" not in page
    assert page.count("1 patient listed") == 2
    assert (
        "q=ours" in page and "(withheld: the list named patients of a team you are not on)" in page
    )
    export = b"".join(client.get(reverse("audit-export")).streaming_content).decode()
    assert "q=Quill" not in export and "q=ours" in export
    assert str(theirs.pk) not in [row.split(",")[5] for row in export.splitlines()]
    superuser = make_user(username="root", is_superuser=True)
    client.force_login(superuser)
    page = client.get("/audit/").content.decode()
    assert "q=Quill" in page and "2 patients listed" in page


def test_the_patient_page_shows_the_record_and_is_on_record(client, team_nurse):
    nurse, patient, _ = team_nurse
    patient.inbound.create(
        message_sid="SM" + "7" * 32,
        from_number=patient.phone,
        body="my incision is red and hot",
        sender="patient",
        assessment={"findings": ["wound"], "severity": "urgent"},
    )
    response = client.get(reverse("patient-detail", args=[patient.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert patient.mrn in page and f'href="tel:{patient.phone}"' in page
    assert "my incision is red and hot" in page
    [event] = events("view.patient")
    assert (event.user, event.patient_id, event.path) == (
        nurse,
        patient.pk,
        f"/patients/{patient.pk}/",
    )
    # The dashboard card leads there.
    assert f'href="/patients/{patient.pk}/"' in client.get("/rows/").content.decode()
