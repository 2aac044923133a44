"""What one nurse watching the dashboard costs the server, at clinic scale.

    DATABASE_URL=postgres://.../followup_measure .venv/bin/python -m tests.measure_dashboard 1000 10

Migrates the database it is given (use a scratch one: it adds rows), seeds open escalations
(every tenth an emergency, or every Nth as the second argument says) each with a report and a
page, and as many past replies needing nothing as a third argument says (a clinic's history),
then times the page, a changed refresh (one card changed since the poll before, as a watching
browser asks it), a refresh with no card kept (a process's first) and an unchanged one (304)
through Django's test client,
signed in with a second step as in production, and prints queries and bytes of each.
"""

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from followup import dashboard_cards  # noqa: E402
from followup.models import (  # noqa: E402
    CareTeam,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Patient,
    Severity,
    Surgery,
    User,
)


def seed_patients(
    team: CareTeam, surgeon: User, count: int, first_name: str, key: str, area: int, days_ago: int
) -> list[Patient]:
    """`count` patients of the team, each with a fusion `days_ago` days ago; `key` (MRNs) and
    `area` (phone numbers) keep them apart from other seeded sets."""
    patients = Patient.objects.bulk_create(
        (
            Patient(
                first_name=first_name,
                last_name=f"Measured{i}",
                date_of_birth=dt.date(1961, 4, 2),
                mrn=f"{key}{i}",
                phone=f"+1{area}{i:07d}",
                care_team=team,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    Surgery.objects.bulk_create(
        (
            Surgery(
                patient=p,
                procedure="tlif",
                levels="L4-L5",
                approach="posterior",
                date=timezone.now().date() - dt.timedelta(days=days_ago),
                surgeon=surgeon,
            )
            for p in patients
        ),
        batch_size=5000,
    )
    return patients


def seed(rows: int, every: int, history: int, area: int = 773) -> User:
    now = timezone.now()
    team = CareTeam.objects.create(name=f"Measured {now:%H%M%S}", clinic_phone="+13125550100")
    nurse = User.objects.create(username=f"measure{now:%H%M%S%f}", role=User.Role.NURSE)
    team.members.add(nurse)
    stamp = f"{now:%H%M%S%f}"
    patients = seed_patients(
        team, nurse, rows, first_name="Maria", key=f"M{stamp}", area=area, days_ago=6
    )
    words = "my left foot has gone numb and I cannot feel my toes since this morning"
    messages = InboundMessage.objects.bulk_create(
        InboundMessage(
            message_sid=f"SM{stamp}{i}",
            from_number=p.phone,
            body=words,
            sender="patient",
            patient=p,
            processed_at=now,
            assessment={"findings": ["numbness"], "severity": "urgent"},
        )
        for i, p in enumerate(patients)
    )
    InboundMessage.objects.bulk_create(
        (
            InboundMessage(
                message_sid=f"SMpast{stamp}{i}",
                from_number=patients[0].phone,
                body="fine thanks",
                sender="patient",
                patient=patients[0],
                assessment={"findings": []},
                received_at=now - dt.timedelta(days=1),
                processed_at=now - dt.timedelta(days=1),
            )
            for i in range(history)
        ),
        batch_size=5000,
    )
    escalations = Escalation.objects.bulk_create(
        Escalation(
            patient=p,
            findings=["numbness"],
            evidence={"numbness": words},
            severity=Severity.EMERGENCY if i % every == 0 else Severity.URGENT,
            opened_at=now - dt.timedelta(minutes=i),
        )
        for i, p in enumerate(patients)
    )
    EscalationEvent.objects.bulk_create(
        EscalationEvent(escalation=e, kind="opened", message=m)
        for e, m in zip(escalations, messages, strict=True)
    )
    OutboundMessage.objects.bulk_create(
        OutboundMessage(to=nurse.phone, body="page", kind="page", escalation=e, status="delivered")
        for e in escalations
    )
    return nurse


def signed_in(user: User) -> Client:
    """A client signed in as `user` with the second step production requires: every request
    then reads her device too, as in production."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


Timed = tuple[float, int, int, int]


def poll(client: Client, url: str, **headers: str) -> tuple[float, int, HttpResponse]:
    """Milliseconds, queries and the response of one request."""
    # The log keeps the last 9,000 queries only: counted from empty, a count is never lost.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", **headers)
        ms = (time.perf_counter() - started) * 1000
    return ms, len(queries), response


def summed(polls: list[tuple[float, int, HttpResponse]]) -> Timed:
    """Median milliseconds of the polls; queries, status and bytes on the wire of the last."""
    _, queries, response = polls[-1]
    median = statistics.median(ms for ms, _, _ in polls)
    return median, queries, response.status_code, len(response.content)


def timed(client: Client, url: str, runs: int, **headers: str) -> Timed:
    """Median milliseconds, queries, status and bytes on the wire of `runs` requests."""
    return summed([poll(client, url, **headers) for _ in range(runs)])


def timed_changed(client: Client, url: str, runs: int, change: Callable[[int], bool]) -> Timed:
    """As timed(), each poll asked as a watching browser asks it (with the ETag of the poll
    before) after `change(run)` changed one card: what a nurse's dashboard does when something
    happened, most cards kept from the poll before. With no card to change (none open, the
    floor) each poll is asked without the ETag, so it too sends the rows."""
    etag = client.get(url)["ETag"]
    polls = []
    for run in range(runs):
        polls.append(poll(client, url, **({"HTTP_IF_NONE_MATCH": etag} if change(run) else {})))
        etag = polls[-1][2]["ETag"]
    return summed(polls)


def timed_cold(client: Client, url: str, runs: int) -> Timed:
    """As timed(), with no card kept: a process's first poll for a nurse (after a restart),
    every card read whole and rendered."""
    polls = []
    for _ in range(runs):
        caches[dashboard_cards.CACHE].clear()
        polls.append(poll(client, url))
    return summed(polls)


def timed_unchanged(client: Client, url: str, runs: int) -> Timed:
    """As timed(), counting only polls answered 304: the minute is part of the version, so a
    poll just after it turns is a changed one; the ETag is taken again and the polls go on."""
    etag = client.get(url)["ETag"]
    polls: list[Timed] = []
    while len(polls) < runs:
        poll = timed(client, url, 1, HTTP_IF_NONE_MATCH=etag)
        if poll[2] == 304:
            polls.append(poll)
        else:
            etag = client.get(url)["ETag"]
    return statistics.median(p[0] for p in polls), *polls[-1][1:]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    history = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    call_command("migrate", verbosity=0)
    setup_test_environment()
    nurse = seed(rows, every, history)
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: plans for the real row counts.
        cursor.execute("ANALYZE")
    client = signed_in(nurse)
    client.get("/")
    page = timed(client, "/", 5)
    changing = list(Escalation.objects.order_by("-severity", "opened_at")[:5])

    def new_report(run: int) -> bool:
        # A report attached to one card on the first screen, as a patient's reply adds.
        if changing:
            EscalationEvent.objects.create(
                escalation=changing[run % len(changing)], kind="attached"
            )
        return bool(changing)

    changed = timed_changed(client, "/rows/", 5, new_report)
    cold = timed_cold(client, "/rows/", 5)
    unchanged = timed_unchanged(client, "/rows/", 50)
    emergencies = len(range(0, rows, every))
    print(f"{rows} open escalations, {emergencies} of them emergencies, {history} past replies")
    for name, (ms, queries, status, size) in (
        ("page", page), ("refresh, changed", changed), ("refresh, no card kept", cold),
        ("refresh, unchanged", unchanged),
    ):  # fmt: skip
        print(f"{name:20} {ms:7.1f} ms {queries:3} queries  {status}  {size:7} bytes (gzip)")


if __name__ == "__main__":
    main()
