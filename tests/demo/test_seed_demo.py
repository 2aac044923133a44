"""seed_demo: idempotent demo data, written through the real services."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import triage
from followup.demo.data import DEMO_PASSWORD, PAST_REPLIES
from followup.models import (
    Answer,
    CareTeam,
    CheckIn,
    Enrollment,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Patient,
    Severity,
    Surgery,
    User,
)
from followup.phones import to_e164

pytestmark = pytest.mark.usefixtures("demo_app")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [User, CareTeam, Patient, Surgery, Enrollment, CheckIn]
    models += [OutboundMessage, InboundMessage, Answer, Escalation]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(demo_mode, db) -> str:
    return seed()


def test_seed_demo_twice_creates_nothing_new_and_prints_the_logins(seeded, client):
    first = counts()
    again = seed()
    assert counts() == first
    assert first["Patient"] == 20
    for output in (seeded, again):
        assert re.search(rf"nurse +/ {DEMO_PASSWORD}", output)
        assert re.search(rf"surgeon +/ {DEMO_PASSWORD}", output)
    assert client.login(username="nurse", password=DEMO_PASSWORD)
    assert client.login(username="surgeon", password=DEMO_PASSWORD)
    nurse = User.objects.get(username="nurse")
    assert nurse.is_staff and not nurse.is_superuser
    assert not nurse.has_perm("followup.change_user")


def test_seed_demo_makes_a_consistent_care_team_and_patients(seeded):
    team = CareTeam.objects.get(name="Lakeside Spine Center")
    team.full_clean()
    assert team.on_call.phone and team.backup.phone
    patients = list(Patient.objects.all())
    assert {p.language for p in patients} == {"en", "es"}
    assert all(to_e164(p.phone) == p.phone for p in patients)
    assert len({p.phone for p in patients}) == len(patients)
    days = sorted(p.postop_day() for p in patients)
    assert days[0] == 1
    assert days[-1] >= 60
    assert Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).count() == 20


def test_seed_demo_histories_have_questions_replies_and_answers(seeded):
    completed = CheckIn.objects.filter(status=CheckIn.Status.COMPLETED)
    assert completed.count() > 50
    for checkin in completed[:10]:
        assert checkin.messages.filter(kind=OutboundMessage.Kind.QUESTION).count() == len(
            checkin.questions
        )
        assert checkin.replies.count() == len(checkin.questions)
        assert checkin.answers.count() == len(checkin.questions)
        assert checkin.sent_at < timezone.now()
    assert Answer.objects.filter(pain_score__isnull=False).exists()
    assert InboundMessage.objects.filter(body__contains="dolor").exists()


def test_seed_demo_leaves_a_checkin_due_within_two_minutes(seeded):
    now = timezone.now()
    soon = CheckIn.objects.filter(
        status=CheckIn.Status.PENDING, due_at__gt=now, due_at__lte=now + dt.timedelta(minutes=2)
    )
    assert soon.count() == 1


def test_seed_demo_stores_a_text_from_an_unknown_number(seeded):
    unknown = InboundMessage.objects.get(sender=InboundMessage.Sender.UNKNOWN)
    assert unknown.patient is None
    assert unknown.processed_at is not None


@pytest.mark.skipif(not hasattr(triage, "evaluate"), reason="the triage package is not ready")
def test_seed_demo_opens_escalations_through_triage(seeded):
    open_ = Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
    by_mrn = {e.patient.mrn: e.severity for e in open_.select_related("patient")}
    assert by_mrn.get("DEMO0004") == Severity.EMERGENCY
    assert by_mrn.get("DEMO0008") == Severity.URGENT
    assert by_mrn.get("DEMO0010") == Severity.URGENT
    assert OutboundMessage.objects.filter(
        patient__mrn="DEMO0004",
        kind=OutboundMessage.Kind.SAFETY,
        status=OutboundMessage.Status.REPLIED,
    ).exists()


@pytest.mark.skipif(not hasattr(triage, "evaluate"), reason="the triage package is not ready")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_seeded_past_replies_are_what_triage_makes_of_them(lang):
    # History is written with a "no red flags" assessment; triage must agree with it.
    for question, replies in PAST_REPLIES[lang].items():
        for reply in replies:
            assessment = triage.evaluate(
                reply.format(pain=4), question=question, lang=lang, channel="sms"
            )
            assert assessment.severity == triage.Severity.NONE, reply
            assert not assessment.needs_review, reply
            assert assessment.pain_score == (4 if question == "pain" else None), reply


def test_seed_demo_refuses_outside_demo_mode(settings, db):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Patient.objects.exists()


def test_seed_demo_fills_the_roster_and_weeks_of_program_history(seeded):
    from followup.models import CareItem, Shift

    now = timezone.now()
    assert Shift.objects.filter(starts_at__lte=now).exclude(ends_at__lt=now).exists()
    resolved = Escalation.objects.filter(status=Escalation.Status.RESOLVED)
    assert resolved.count() >= 6
    assert len({e.outcome for e in resolved}) >= 4
    waits = sorted((e.acknowledged_at - e.opened_at).total_seconds() for e in resolved)
    assert waits[0] < waits[-1]  # a spread worth a median and a 90th percentile
    assert CheckIn.objects.filter(status=CheckIn.Status.MISSED).exists()
    assert CareItem.objects.filter(kind=CareItem.Kind.NO_RESPONSE, done_at__isnull=False).exists()
    assert Patient.objects.filter(sms_opted_out_at__isnull=False).count() == 1
