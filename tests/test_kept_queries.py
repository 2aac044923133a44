"""Statements compiled once and run later with the clock moved on give what the ORM gives."""

import datetime as dt

import pytest
from django.utils import timezone

from followup import kept_queries
from followup.models import InboundMessage, Patient
from tests.factories import make_patient

pytestmark = pytest.mark.django_db


def received(patient: Patient, at: dt.datetime, n: int) -> InboundMessage:
    return InboundMessage.objects.create(
        message_sid=f"SMkept{n:030d}",
        from_number=patient.phone,
        body="fine",
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        received_at=at,
    )


def older_than_half_an_hour(at: dt.datetime):
    return (
        InboundMessage.objects.filter(received_at__lte=at - dt.timedelta(minutes=30))
        .select_related("patient__care_team")
        .order_by("received_at")
    )


def test_a_kept_statement_moves_with_the_clock_and_loads_related_rows(django_assert_num_queries):
    patient = make_patient()
    now = timezone.now()
    first = received(patient, now - dt.timedelta(minutes=40), 1)
    second = received(patient, now - dt.timedelta(minutes=10), 2)
    key = ("test", "older")
    assert kept_queries.rows(key, now, older_than_half_an_hour) == [first]
    # Twenty-five minutes on, the same kept statement also finds the second reply.
    later = now + dt.timedelta(minutes=25)
    found = kept_queries.rows(key, later, older_than_half_an_hour)
    assert found == list(older_than_half_an_hour(later)) == [first, second]
    # Related rows come with it, as select_related loads them: no query to read them.
    with django_assert_num_queries(0):
        assert found[1].patient.care_team.name == patient.care_team.name


def test_a_statement_that_depends_on_the_time_otherwise_is_compiled_afresh():
    patient = make_patient()
    now = timezone.now()
    message = received(patient, now - dt.timedelta(days=1), 3)

    def on_the_day_before(at: dt.datetime):
        # A date, not a moving timestamp: never kept, always right.
        return InboundMessage.objects.filter(received_at__date=(at - dt.timedelta(days=1)).date())

    assert kept_queries.rows(("test", "day"), now, on_the_day_before) == [message]
    assert kept_queries.rows(("test", "day"), now + dt.timedelta(days=1), on_the_day_before) == []
