"""The patients list: search without accents or phone punctuation, filters, order, audit, scale."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import audit, patient_search
from followup.models import AuditEvent, CareItem, Enrollment, Escalation, Patient, Severity, User
from tests.factories import make_enrolled_patient, make_patient, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team(name="North")


@pytest.fixture
def nurse(client, team):
    user = make_user(username="nina")
    team.members.add(user)
    client.force_login(user)
    return user


def shown(client, **params) -> list[int]:
    response = client.get(reverse("patients"), params)
    assert response.status_code == 200
    return [p.pk for p, _, _ in response.context["rows"]]


def test_search_text_folds_accents_case_and_phone_punctuation():
    assert patient_search.fold("José GARCÍA") == "jose garcia"
    assert patient_search.search_text("José", "García", "MRN1", "+17735550101") == (
        "jose garcia mrn1 17735550101"
    )
    assert patient_search.terms("+1 (773) 555-0101") == ["17735550101"]
    assert patient_search.terms("  Jose  garcia ") == ["jose", "garcia"]


def test_search_text_follows_a_renamed_patient_even_with_update_fields(team):
    patient = make_patient(first_name="Ann", last_name="Baker", care_team=team)
    patient.last_name = "Núñez"
    patient.save(update_fields=["last_name"])
    patient.refresh_from_db()
    assert "nunez" in patient.search_text


def test_a_name_without_accents_finds_the_accented_patient(client, nurse, team):
    jose = make_patient(first_name="José", last_name="García", care_team=team)
    make_patient(first_name="Ann", last_name="Baker", care_team=team)
    assert shown(client, q="jose") == [jose.pk]
    assert shown(client, q="garcia jos") == [jose.pk]


def test_mrn_and_typed_phone_numbers_find_the_patient(client, nurse, team):
    patient = make_patient(mrn="MRN424242", phone="+17735550101", care_team=team)
    make_patient(phone="+17735550199", care_team=team)
    assert shown(client, q="mrn4242") == [patient.pk]
    assert shown(client, q="+1 (773) 555-0101") == [patient.pk]
    assert shown(client, q="555-0101") == [patient.pk]


def test_another_teams_patients_are_never_listed(client, nurse, team):
    other = make_patient(first_name="Zelda", care_team=make_team(name="South"))
    mine = make_patient(first_name="Zelda", care_team=team)
    assert shown(client, q="zelda") == [mine.pk]
    assert other.pk not in shown(client)
    # Asking for the other team by id shows nothing of it.
    assert shown(client, team=other.care_team_id) == [mine.pk]
    html = client.get(reverse("patients"), {"team": other.care_team_id}).content.decode()
    assert other.mrn not in html


def test_patients_needing_attention_come_first(client, nurse, team):
    calm = make_patient(last_name="Adams", care_team=team)
    item = make_patient(last_name="Young", care_team=team)
    flagged = make_patient(last_name="Zimmer", care_team=team)
    CareItem.objects.create(patient=item, kind=CareItem.Kind.NO_RESPONSE)
    Escalation.objects.create(patient=flagged, severity=Severity.URGENT)
    assert shown(client) == [flagged.pk, item.pk, calm.pk]


def test_status_filters(client, nurse, team):
    active, _ = make_enrolled_patient(care_team=team)
    paused, enrollment = make_enrolled_patient(care_team=team)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.PAUSED)
    quiet = make_patient(care_team=team)
    CareItem.objects.create(patient=quiet, kind=CareItem.Kind.UNREACHABLE)
    opted = make_patient(care_team=team, sms_opted_out_at=timezone.now())
    flagged = make_patient(care_team=team)
    Escalation.objects.create(patient=flagged, severity=Severity.ROUTINE)
    assert shown(client, status="active") == [active.pk]
    assert shown(client, status="paused") == [paused.pk]
    assert shown(client, status="not_responding") == [quiet.pk]
    assert shown(client, status="opted_out") == [opted.pk]
    assert shown(client, status="escalation") == [flagged.pk]


def test_surgeon_and_team_filters(client, nurse, team):
    second = make_team(name="West")
    second.members.add(nurse)
    surgeon = make_user(username="drpatel", role=User.Role.SURGEON)
    operated, _ = make_enrolled_patient(care_team=team, surgery={"surgeon": surgeon})
    west = make_patient(care_team=second)
    assert shown(client, surgeon=surgeon.pk) == [operated.pk]
    assert shown(client, team=second.pk) == [west.pk]


def test_each_row_shows_name_link_mrn_postop_day_call_link_and_status(client, nurse, team):
    patient, _ = make_enrolled_patient(
        first_name="Ana",
        last_name="Ruiz",
        phone="+17735550142",
        care_team=team,
        surgery={"date": timezone.localdate() - dt.timedelta(days=5)},
    )
    html = client.get(reverse("patients")).content.decode()
    assert f'href="{reverse("patient-detail", args=[patient.pk])}"' in html
    assert "Ruiz, Ana" in html and patient.mrn in html
    assert 'href="tel:+17735550142"' in html
    surgery_date = timezone.localdate() - dt.timedelta(days=5)
    expected = (timezone.now().astimezone(patient.tz).date() - surgery_date).days
    assert f"post-op day {expected}" in html
    assert "Active" in html
    assert 'href="/patients/"' in html  # the nav link


def test_the_list_is_paginated_by_fifty(client, nurse, team):
    for _ in range(51):
        make_patient(care_team=team)
    assert len(shown(client)) == 50
    assert len(shown(client, page=2)) == 1


def test_the_list_is_on_the_audit_trail_with_the_patients_shown(client, nurse, team):
    patient = make_patient(first_name="José", care_team=team)
    shown(client, q="jose")
    event = AuditEvent.objects.get(action=audit.VIEW_PATIENT_LIST)
    assert event.patients == [patient.pk] and event.user == nurse and event.detail == "jose"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("patients")).status_code in (302, 401)


def _fill(team, count):
    surgeon = make_user(role=User.Role.SURGEON)
    for n in range(count):
        patient, _ = make_enrolled_patient(care_team=team, surgery={"surgeon": surgeon})
        if n % 3 == 0:
            CareItem.objects.create(patient=patient, kind=CareItem.Kind.NO_RESPONSE)
        if n % 5 == 0:
            Escalation.objects.create(patient=patient, severity=Severity.ROUTINE)


@pytest.mark.parametrize("count", [5, 60])
def test_queries_do_not_grow_with_the_number_of_patients(
    client, nurse, team, count, django_assert_max_num_queries
):
    _fill(team, count)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("patients"))
    assert len(response.context["rows"]) == min(count, 50)
    assert Patient.objects.count() == count


def test_the_migration_fills_existing_rows_as_save_would(team):
    import importlib

    from django.apps import apps

    patient = make_patient(first_name="José", last_name="Núñez", care_team=team)
    Patient.objects.filter(pk=patient.pk).update(search_text="")
    migration = importlib.import_module("followup.migrations.0017_patient_search")
    migration.fill_search_text(apps, None)
    assert Patient.objects.get(pk=patient.pk).search_text == patient.search_text
    assert "jose nunez" in patient.search_text
