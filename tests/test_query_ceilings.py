"""Every staff page costs the same number of queries whatever the size of the clinic.

Each page is counted on a small clinic (every kind of row present, so every branch of every
template runs), then again after the clinic and the one patient's record grew twelvefold: a count
that grows is a query per row (an N+1), which is fixed in the page, never allowed for here.
"""

import datetime as dt
import itertools

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from followup import audit, dashboard_cards
from followup.models import (
    Answer,
    CareItem,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Protocol,
    Severity,
    Shift,
    StaffNote,
    User,
)
from followup.protocols import services
from tests.factories import make_enrolled_patient, make_history, make_team, make_user

SMALL, LARGE = 5, 60
_seq = itertools.count(1)


def grow(team, subject, lead, rows: int) -> None:
    """`rows` more patients, each with a full record and an open escalation, and as many more
    entries in `subject`'s own record."""
    now = timezone.now()
    # One surgeon for all: hashing a password per patient would be most of the test's time.
    surgeon = User.objects.filter(role=User.Role.SURGEON).first() or make_user(
        role=User.Role.SURGEON
    )
    for _ in range(rows):
        n = next(_seq)
        patient, enrollment = make_enrolled_patient(care_team=team, surgery={"surgeon": surgeon})
        history = make_history(patient, enrollment, resolved=False)
        # Every third an emergency, every other one acknowledged and assigned.
        Escalation.objects.filter(pk=history["escalation"].pk).update(
            severity=Severity.EMERGENCY if n % 3 == 0 else Severity.URGENT,
            **(
                {"status": "acknowledged", "acknowledged_by": lead, "acknowledged_at": now}
                if n % 2
                else {"assigned_to": history["nurse"]}
            ),
        )
        EscalationEvent.objects.create(
            escalation=history["escalation"], kind=EscalationEvent.Kind.ATTACHED, actor=lead
        )
        Escalation.objects.create(
            patient=patient,
            severity=Severity.URGENT,
            findings=["fever"],
            status=Escalation.Status.RESOLVED,
            resolved_at=now,
            resolved_by=lead,
            outcome=Escalation.Outcome.ADVICE,
        )
        CareItem.objects.create(patient=patient, kind=CareItem.Kind.NO_RESPONSE, urgent=n % 2 == 0)
        OutboundMessage.objects.create(
            patient=patient, to=patient.phone, body="q", kind="question", status="failed"
        )
        InboundMessage.objects.create(
            message_sid=f"SMunknown{n}", from_number=f"+1872555{n:04d}", body="hello",
            sender=InboundMessage.Sender.UNKNOWN, assessment={"findings": []}, processed_at=now,
        )  # fmt: skip
        audit.record(lead, audit.VIEW_PATIENT, patient)
        Shift.objects.create(
            care_team=team,
            user=lead,
            starts_at=now + dt.timedelta(hours=n),
            ends_at=now + dt.timedelta(hours=n, minutes=30),
        )
        # The one patient whose page and chart are counted: a longer record.
        reply = InboundMessage.objects.create(
            message_sid=f"SMsubject{n}", from_number=subject.phone, body=f"day {n}: sore",
            sender=InboundMessage.Sender.PATIENT, patient=subject, processed_at=now,
            assessment={"findings": ["pain"], "severity": "routine"},
        )  # fmt: skip
        Answer.objects.create(
            patient=subject, message=reply, question="pain", pain_score=n % 10, findings=["pain"]
        )
        OutboundMessage.objects.create(
            patient=subject, to=subject.phone, body=f"day {n}", kind="question", status="delivered"
        )
        StaffNote.objects.create(patient=subject, author=lead, text=f"called on day {n}")
        resolved = Escalation.objects.create(
            patient=subject, severity=Severity.URGENT, findings=["pain"],
            status=Escalation.Status.RESOLVED, resolved_at=now, resolved_by=lead,
        )  # fmt: skip
        EscalationEvent.objects.create(escalation=resolved, kind="opened", message=reply)
        CareItem.objects.create(
            patient=subject, kind=CareItem.Kind.EXPIRED, done_at=now, done_by=lead
        )


def staff_pages(subject, protocol) -> dict[str, str]:
    """Every page staff read, by name: the URL a test client fetches."""
    pages = {
        name: reverse(name)
        for name in (
            "dashboard", "dashboard-rows", "protocols", "protocol-new", "escalation-archive",
            "reports", "report-export", "audit", "audit-export", "patient-new", "patients",
            "patients-import", "roster",
        )
    }  # fmt: skip
    pages |= {
        name: reverse(name, args=[protocol.pk])
        for name in ("protocol-detail", "protocol-copy", "protocol-edit", "protocol-move")
    }
    pages |= {
        name: reverse(name, args=[subject.pk]) for name in ("patient-detail", "patient-chart")
    }
    pages["patients?q"] = reverse("patients") + "?q=lopez"
    pages["dashboard-rows?more"] = reverse("dashboard-rows") + "?escalations=100&messages=100"
    for model in (
        "user", "careteam", "patient", "protocol", "enrollment", "checkin", "inboundmessage",
        "outboundmessage", "escalation", "answer",
    ):  # fmt: skip
        pages[f"admin:{model}"] = reverse(f"admin:followup_{model}_changelist")
    return pages


# Staff URLs that are no page to count, and why.
NOT_PAGES = {
    # Actions: a POST that changes one row and redirects.
    "acknowledge", "resolve", "assign", "message-reviewed", "send-reviewed", "care-item-done",
    "patient-text", "patient-note", "patient-status", "patient-contact", "patient-protocol",
    "patient-consent", "patients-assign-protocol", "roster-end",
    # One photo, fetched from Twilio: one row, whatever the clinic.
    "inbound-media",
    # Not staff pages: Twilio's webhooks, health checks, signing in and out.
    "twilio-sms", "twilio-status", "ivr-status", "ivr-start", "ivr-identity", "ivr-question",
    "ivr-answer", "twilio-voice-page", "twilio-voice-page-ack", "healthz", "login", "logout",
    "two-factor-verify", "two-factor-setup", "stay-signed-in",
}  # fmt: skip


def count_queries(client, url: str) -> int:
    # A dashboard card kept from an earlier request saves the two queries that read changed
    # cards whole: counted with none kept, the most a page can cost.
    caches[dashboard_cards.CACHE].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (url, response.status_code)
    # A statement kept by the process is prepared once per connection, the first time it runs
    # there (followup/kept_queries.py): a cost of the connection, not of the page or its rows.
    return sum(not query["sql"].startswith("PREPARE kept_") for query in queries)


def counts(clients, pages) -> dict[str, int]:
    return {
        name: count_queries(clients[name.startswith("admin:")], url) for name, url in pages.items()
    }


@pytest.fixture
def clinic(client):
    """A team lead (every clinical page) and a superuser (the admin), on a small clinic."""
    from django.test import Client

    team = make_team()
    lead = make_user(username="lead", role=User.Role.TEAM_LEAD)
    team.members.add(lead)
    admin = make_user(username="root", is_staff=True, is_superuser=True, role=User.Role.ADMIN)
    subject, _ = make_enrolled_patient(care_team=team)
    client.force_login(lead)
    admin_client = Client()
    admin_client.force_login(admin)
    grow(team, subject, lead, SMALL)
    return {"team": team, "lead": lead, "subject": subject, "clients": (client, admin_client)}


def test_every_staff_page_is_counted():
    named = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and not prefix:
                named.add(p.name)

    walk(get_resolver().url_patterns)
    assert named - NOT_PAGES - staff_pages_names() == set()


def staff_pages_names() -> set[str]:
    class Stub:
        pk = 1

    return {name.split("?")[0] for name in staff_pages(Stub, Stub) if ":" not in name}


def counted_around(clinic, change) -> tuple[dict[str, int], dict[str, int]]:
    """Every staff page's query count before and after `change()`, and the pages that grew."""
    pages = staff_pages(clinic["subject"], Protocol.objects.default())
    # Once first: caches that fill on a first visit (content types, sessions) are not counted.
    counts(clinic["clients"], pages)
    before = counts(clinic["clients"], pages)
    change()
    after = counts(clinic["clients"], pages)
    grew = {name: (before[name], after[name]) for name in pages if after[name] != before[name]}
    return after, grew


@pytest.mark.django_db
def test_no_staff_page_makes_a_query_per_row(clinic):
    large, grew = counted_around(
        clinic, lambda: grow(clinic["team"], clinic["subject"], clinic["lead"], LARGE - SMALL)
    )
    assert grew == {}
    # And no page is expensive even at a constant count.
    assert {name: n for name, n in large.items() if n > 40} == {}


@pytest.mark.django_db
def test_no_staff_page_makes_a_query_per_care_team_or_protocol(clinic):
    lead = clinic["lead"]
    steps = services.steps_of(Protocol.objects.default())

    def four_more_teams() -> None:
        # The lead on four more teams, each with a patient's full record and shifts ahead
        # (grow) and a protocol of its own in two versions; every other one has someone on
        # call now.
        for n in range(4):
            team = make_team(name=f"Team {n} more")
            team.members.add(lead)
            grow(team, clinic["subject"], lead, 1)
            if n % 2 == 0:
                Shift.objects.create(care_team=team, user=lead, starts_at=timezone.now())
            protocol = services.create_protocol(f"Team {n} protocol", steps, lead, team)
            services.save_new_version(protocol, steps[:-1], lead)

    assert counted_around(clinic, four_more_teams)[1] == {}


@pytest.mark.django_db
@pytest.mark.usefixtures("mid_minute")
def test_the_dashboard_costs_the_same_at_5_and_60_open_escalations(clinic):
    client = clinic["clients"][0]
    rows = reverse("dashboard-rows")
    client.get("/")
    small = (count_queries(client, "/"), count_queries(client, rows))
    grow(clinic["team"], clinic["subject"], clinic["lead"], LARGE - SMALL)
    assert Escalation.objects.exclude(status="resolved").count() == LARGE
    large = (count_queries(client, "/"), count_queries(client, rows))
    assert large == small
    # An unchanged refresh: the session, the user and the version's few narrow queries.
    etag = client.get(rows)["ETag"]
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(rows, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(unchanged) <= 12, [q["sql"][:120] for q in unchanged]
