"""Statements compiled once and run later with the clock moved on give what the ORM gives, and
on PostgreSQL are planned once per connection with every other value written in as a literal."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
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


# Every quoting hazard a value written into SQL could meet.
HOSTILE = 'O\'Brien 100% %s %%s $1 \\ "x" ñ;--'


def replies_before(name: str):
    """How many replies of patients named `name` are half an hour old at a time, and the newest:
    a statement of one value that stays (the name) and one that moves (the time)."""

    def compile_at(at: dt.datetime):
        sql, params = (
            InboundMessage.objects.filter(
                patient__last_name=name, received_at__lte=at - dt.timedelta(minutes=30)
            )
            # Compiled with percent signs of Django's own: LIKE '%%' || ... || '%%', and a
            # modulo (`pk %% 2`), which PostgreSQL must receive as one percent sign.
            .filter(patient__last_name__contains=F("patient__first_name"), pk__gte=F("pk") % 2)
            .values("pk")
            .query.sql_with_params()
        )
        return f"SELECT count(*), max(r.pk) FROM ({sql}) r", list(params)  # noqa: S608 (Django's own SQL)

    return compile_at


def prepared_here() -> list[tuple[str, list[str], str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, parameter_types::text[], statement FROM pg_prepared_statements"
            " WHERE name LIKE 'kept_%%' ORDER BY prepare_time"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_kept_statement_is_planned_once_per_connection_with_only_the_clock_as_parameters():
    now = timezone.now()
    named = make_patient(first_name="Brien", last_name=HOSTILE)
    # A name that differs only where quoting could go wrong must not be counted.
    other = make_patient(first_name="Brien", last_name=HOSTILE.replace("%%", "%"))
    first = received(named, now - dt.timedelta(minutes=40), 11)
    second = received(named, now - dt.timedelta(minutes=10), 12)
    received(other, now - dt.timedelta(minutes=40), 13)
    key = ("test", "planned")
    compile_at = replies_before(HOSTILE)
    connection.close()

    assert kept_queries.first_row(key, now, compile_at) == (1, first.pk)
    (name, types, text), *others = prepared_here()
    assert others == []
    # The name is in the statement as a literal; the time is its one parameter.
    assert types == ["timestamp with time zone"]
    assert """E'O''Brien 100% %s %%s $1 \\\\ "x" ñ;--' AND """ in text
    with CaptureQueriesContext(connection) as queries:
        # Twenty-five minutes on: the same plan, the moved clock, the second reply too.
        later = now + dt.timedelta(minutes=25)
        assert kept_queries.first_row(key, later, compile_at) == (2, second.pk)
    # Its parameter is the moved clock's value: received at or before half an hour earlier.
    cutoff = later - dt.timedelta(minutes=30)
    assert [q["sql"] for q in queries] == [f"EXECUTE {name}('{cutoff}'::timestamptz)"]
    assert prepared_here() == [(name, types, text)]

    # A new connection has nothing prepared: it prepares the statement again.
    connection.close()
    assert kept_queries.first_row(key, now, compile_at) == (1, first.pk)
    assert prepared_here() == [(name, types, text)]


def test_behind_pgbouncer_nothing_is_prepared(settings):
    settings.DB_POOLING = "pgbouncer"
    patient = make_patient(first_name="Brien", last_name=HOSTILE)
    now = timezone.now()
    message = received(patient, now - dt.timedelta(minutes=40), 14)
    before = prepared_here()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            found = kept_queries.first_row(("test", "pooled"), now, replies_before(HOSTILE))
        assert found == (1, message.pk)
        assert [q["sql"][:25] for q in queries] == ["SELECT count(*), max(r.pk"]
    assert prepared_here() == before
