"""What one inbound text costs the database: a ceiling of statements for each kind of sender.

Each case posts one signed text through the whole webhook (what runs after commit included)
and counts every statement sent to PostgreSQL, savepoints too. A count above its ceiling is a
lookup that came back (or one per row): it is removed from the webhook, never allowed for here.
"""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Escalation, InboundMessage, OutboundMessage
from followup.paging import advance_ladders
from tests.factories import make_enrolled_patient, make_patient
from tests.test_paging import DAY, at, open_escalation
from tests.test_paging import team as team  # a fixture
from tests.test_webhooks import SMS, awaiting, inbound

# Statements for one text (a savepoint stands for the BEGIN and COMMIT it is outside a test).
# Before the webhook was made lean: 9, 12, 7, 2 and 11; before the stored row became the work
# item (no task INSERT): 6, 9, 6, 9 and 11. A retry now costs the
# same lookups as a first delivery, whose unique MessageSid refuses it, instead of every text
# paying for a lookup by MessageSid first.
# Outside a test's transaction, a text with nothing to answer is one INSERT that commits alone:
# see test_outside_a_transaction_a_plain_answer_is_three_round_trips_and_no_task.
CEILINGS = {
    "patient answering a check-in": 5,
    "patient reporting an emergency": 8,
    "unknown number": 5,
    "Twilio's retry of a stored text": 9,
    "clinician answering a page": 11,
}


def counted(twilio_post, capture, params):
    """Post `params` as Twilio would; the response and every statement it cost."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = twilio_post(SMS, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def within(case: str, statements: list[str]) -> None:
    listing = "\n".join(statements)
    assert len(statements) <= CEILINGS[case], f"{case}: {len(statements)} statements\n{listing}"


@pytest.mark.django_db
@pytest.mark.parametrize("history", [0, 6])
def test_a_patient_answering_a_check_in(twilio_post, django_capture_on_commit_callbacks, history):
    patient, _ = make_enrolled_patient()
    for _ in range(history):
        # Earlier answers on another check-in: read for triage in one query whatever their number.
        previous = awaiting(patient)
        counted(twilio_post, django_capture_on_commit_callbacks, inbound(patient.phone, "no"))
        previous.status = previous.Status.COMPLETED
        previous.save()
    checkin = awaiting(patient)
    _, statements = counted(
        twilio_post, django_capture_on_commit_callbacks, inbound(patient.phone, "no numbness")
    )
    message = InboundMessage.objects.latest("pk")
    assert (message.patient, message.checkin, message.sender) == (patient, checkin, "patient")
    assert message.question == "numbness"
    within("patient answering a check-in", statements)


@pytest.mark.django_db
def test_a_patient_reporting_an_emergency(twilio_post, django_capture_on_commit_callbacks):
    patient, _ = make_enrolled_patient()
    awaiting(patient)
    response, statements = counted(
        twilio_post,
        django_capture_on_commit_callbacks,
        inbound(patient.phone, "I can't feel down there and I wet myself"),
    )
    assert b"911" in response.content
    assert OutboundMessage.objects.filter(kind="safety", patient=patient).count() == 1
    within("patient reporting an emergency", statements)


@pytest.mark.django_db
def test_an_unknown_number(twilio_post, django_capture_on_commit_callbacks):
    make_patient()
    _, statements = counted(
        twilio_post, django_capture_on_commit_callbacks, inbound("+17735559999", "hello")
    )
    assert InboundMessage.objects.get().sender == "unknown"
    within("unknown number", statements)


@pytest.mark.django_db
def test_twilios_retry_of_a_stored_text(twilio_post, django_capture_on_commit_callbacks):
    patient, _ = make_enrolled_patient()
    awaiting(patient)
    params = inbound(patient.phone, "I can't feel down there and I wet myself")
    first, _ = counted(twilio_post, django_capture_on_commit_callbacks, params)
    again, statements = counted(twilio_post, django_capture_on_commit_callbacks, params)
    assert again.content == first.content and b"911" in again.content
    assert InboundMessage.objects.count() == 1
    assert OutboundMessage.objects.filter(kind="safety").count() == 1
    within("Twilio's retry of a stored text", statements)


@pytest.mark.django_db
def test_a_clinician_answering_a_page(team, twilio_post, django_capture_on_commit_callbacks):
    escalation = open_escalation(team, 3, DAY)
    with time_machine.travel(at(DAY, 5), tick=False):
        advance_ladders()
        response, statements = counted(
            twilio_post, django_capture_on_commit_callbacks, inbound("+13125550801", "ok")
        )
    assert b"Acknowledged by Olga Cruz" in response.content
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    within("clinician answering a page", statements)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_plain_answer_is_four_round_trips(twilio_post):
    from django_q.models import OrmQ

    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient)
    queued = OrmQ.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = twilio_post(SMS, inbound(patient.phone, "no numbness"))
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    # The sender with the awaited check-in, the history, the inbound row: the row is the work
    # item (a worker claims it), so no task is written beside it.
    assert len(statements) <= 3, "\n".join(statements)
    assert not any(sql in ("BEGIN", "COMMIT") for sql in statements)
    assert not any("django_q" in sql for sql in statements), "\n".join(statements)
    message = InboundMessage.objects.get()
    assert (message.patient, message.checkin) == (patient, checkin)
    assert OrmQ.objects.count() == queued
    assert message.processed_at is None
