"""Queries compiled once and run with new parameters give what the ORM's own query gives."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from followup import prepared
from followup.models import Patient
from tests.factories import make_patient

pytestmark = pytest.mark.django_db


def by_phone_since(number, since):
    return (
        Patient.objects.filter(Q(phone=number) | Q(caregiver_phone=number), created_at__gte=since)
        .order_by("pk")
        .values_list(*prepared.columns(Patient))
    )


def test_each_run_binds_its_own_values_and_converts_as_the_orm_does():
    first, second = make_patient(), make_patient()
    query = prepared.Prepared(by_phone_since, strings=["number"], datetimes=["since"])
    week_ago = timezone.now() - dt.timedelta(days=7)
    for patient in (first, second):
        rows = query.rows(number=patient.phone, since=week_ago)
        assert rows == list(by_phone_since(patient.phone, week_ago))
        loaded = prepared.instance(Patient, rows[0])
        assert (loaded.pk, loaded.created_at, loaded.quiet_start) == (
            patient.pk,
            Patient.objects.get(pk=patient.pk).created_at,
            patient.quiet_start,
        )
        assert loaded.created_at.tzinfo is not None
    assert query.rows(number=first.phone, since=timezone.now() + dt.timedelta(days=1)) == []


def test_a_marker_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    query = prepared.Prepared(lambda number: Patient.objects.filter(phone="+1"), strings=["number"])
    with pytest.raises(ValueError, match="number"):
        query.rows(number="+13125550100")
