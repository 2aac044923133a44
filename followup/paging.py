"""The escalation ladder: page the on-call clinician, then the backup, until someone acknowledges.

Who is paged is read from the roster (followup/roster.py) at each step; a gap pages the team
leads.

It runs from due times stored on each escalation, so a worker restart loses nothing: the next
pass pages whatever is due. Each step is claimed with a conditional UPDATE, so two workers never
page twice for one step.
"""

import datetime as dt
import functools
import logging
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from followup import roster
from followup.care import raise_care_item
from followup.health import describe, recorded_pass
from followup.links import public_link
from followup.models import (
    CareItem,
    Channel,
    Escalation,
    EscalationEvent,
    OutboundMessage,
    Severity,
    User,
)
from followup.sending import due_again, send_message
from followup.wording import render_message

log = logging.getLogger(__name__)

# The voice call follows the SMS page this long after, if nobody acknowledged meanwhile.
CALL_AFTER_SMS = dt.timedelta(minutes=1)

# Ladder levels: what the step at each level does.
SMS_ON_CALL, CALL_ON_CALL, BACKUP, REPEAT = 0, 1, 2, 3


def schedule_ladder(escalation: Escalation, now: dt.datetime) -> None:
    """(Re)start the ladder from the bottom for a new, upgraded or re-opened escalation."""
    team = escalation.patient.care_team
    escalation.page_level = SMS_ON_CALL
    if escalation.severity >= Severity.EMERGENCY:
        escalation.next_page_at = now + dt.timedelta(minutes=team.ack_timeout_minutes)
    elif escalation.severity >= Severity.URGENT:
        # Nurses handle urgent items in business hours; after hours they go to the on-call.
        escalation.next_page_at = team.business_hours_end(now)
    else:
        escalation.next_page_at = None


def advance_ladders(now: dt.datetime | None = None) -> int:
    """One pass: take every due ladder step; returns how many pages went out."""
    now = now or timezone.now()
    with recorded_pass("paging") as run:
        sent = 0
        # First the pages whose send was lost or whose retry is due: the dispatch pass would
        # reach them only after its check-ins.
        stray = due_again(now).filter(kind=OutboundMessage.Kind.PAGE).order_by("created_at")
        for page_id in list(stray.values_list("id", flat=True)):
            with run.item(f"page {page_id}"):
                sent += send_message(page_id, now=now)
        due = Escalation.objects.filter(
            status=Escalation.Status.OPEN, next_page_at__lte=now
        ).values_list("id", "page_level", "next_page_at")
        for escalation_id, level, due_at in list(due):
            if due_at is None:
                # The filter reads only rows with a due time; the column itself is nullable.
                continue
            pages: list[OutboundMessage] = []
            failed = functools.partial(_paging_failed, escalation_id)
            with run.item(f"escalation {escalation_id}", failed):
                pages = _take_step(escalation_id, level, due_at, now)
            for page in pages:
                with run.item(f"page {page.pk}"):
                    sent += send_message(page.pk)
    return sent


def _paging_failed(escalation_id: int, exc: Exception) -> None:
    # The step stays due, so every pass tries again: an emergency is never given up on. The
    # care item is updated, not repeated, and staff page by hand meanwhile.
    escalation = Escalation.objects.select_related("patient").get(pk=escalation_id)
    raise_care_item(
        escalation.patient,
        CareItem.Kind.PAGING_FAILED,
        f"Paging for the open {escalation.get_severity_display()} escalation failed "
        f"({describe(exc)}); it is tried again every minute.",
        urgent=True,
    )


def _take_step(
    escalation_id: int, level: int, due_at: dt.datetime, now: dt.datetime
) -> list[OutboundMessage]:
    with transaction.atomic():
        claimed = Escalation.objects.filter(
            id=escalation_id,
            status=Escalation.Status.OPEN,
            page_level=level,
            next_page_at=due_at,
        ).update(next_page_at=None)
        if claimed != 1:
            return []
        escalation = Escalation.objects.select_related(
            "patient__care_team__on_call", "patient__care_team__backup"
        ).get(id=escalation_id)
        team = escalation.patient.care_team
        # Whoever the roster names at this moment, so a shift change takes the next step.
        on_call = _reachable([roster.on_call(team, now)]) or _reachable(roster.team_leads(team))
        backup = _reachable([roster.backup(team, now)]) or _reachable(roster.team_leads(team))
        if level == SMS_ON_CALL:
            targets, channels, wait = on_call, [Channel.SMS], CALL_AFTER_SMS
        elif level == CALL_ON_CALL:
            targets, channels = on_call, [Channel.VOICE]
            wait = dt.timedelta(minutes=team.backup_after_minutes) - CALL_AFTER_SMS
        elif level == BACKUP:
            targets, channels = backup, [Channel.SMS, Channel.VOICE]
            wait = dt.timedelta(minutes=team.page_repeat_minutes)
        else:
            targets, channels = on_call + backup, [Channel.SMS, Channel.VOICE]
            wait = dt.timedelta(minutes=team.page_repeat_minutes)
        people = list(dict.fromkeys(targets))
        pages = [_page(escalation, user, channel) for user in people for channel in channels]
        if not people:
            EscalationEvent.objects.create(
                escalation=escalation,
                kind=EscalationEvent.Kind.PAGED,
                note="Nobody to page: put someone on the roster or make a team lead a member.",
            )
        escalation.page_level = min(level + 1, REPEAT)
        escalation.next_page_at = now + wait
        escalation.save(update_fields=["page_level", "next_page_at"])
        return pages


def _reachable(users: Sequence[User | None]) -> list[User]:
    # A gap in the roster, or a clinician without a phone, falls to the team leads: a page is
    # never dropped for want of a name.
    return [user for user in users if user is not None and user.phone]


def _page(escalation: Escalation, user: User, channel: str) -> OutboundMessage:
    patient = escalation.patient
    context = {
        "severity": escalation.get_severity_display().upper(),
        "initials": patient.initials,
        "mrn_last4": patient.mrn_last4,
        "findings": ", ".join(code.replace("_", " ") for code in escalation.findings),
        "callback": patient.phone,
        "link": public_link(reverse("dashboard") + f"#escalation-{escalation.pk}"),
    }
    page = OutboundMessage.objects.create(
        to=user.phone,
        body=render_message(f"page_{channel}", "en", **context),
        kind=OutboundMessage.Kind.PAGE,
        channel=channel,
        escalation=escalation,
        staff=user,
    )
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EscalationEvent.Kind.PAGED,
        note=f"Paged {user} by {'text' if channel == Channel.SMS else 'voice call'}",
    )
    return page


def paged_escalation(number: str) -> tuple[User, Escalation] | None:
    """The open escalation most recently paged to the clinician with this phone number."""
    page = (
        OutboundMessage.objects.filter(
            kind=OutboundMessage.Kind.PAGE,
            to=number,
            staff__isnull=False,
            escalation__status=Escalation.Status.OPEN,
        )
        .select_related("staff", "escalation")
        .order_by("-created_at")
        .first()
    )
    if page is None or page.staff is None or page.escalation is None:
        return None
    return page.staff, page.escalation
