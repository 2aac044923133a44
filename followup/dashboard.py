"""The nurses' dashboard: open escalations and messages that need a human, refreshed live."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from followup import care
from followup import escalation as escalations
from followup.auth import AuthenticatedHttpRequest
from followup.conversation import PROCESSING_ATTEMPTS
from followup.forms import ResolveForm
from followup.inbound import LOW_CONFIDENCE
from followup.models import (
    CareItem,
    CareTeam,
    Channel,
    Escalation,
    EscalationEvent,
    InboundMessage,
    OutboundMessage,
    Severity,
    Surgery,
)

STUCK_SENDING = dt.timedelta(minutes=5)


def open_escalations() -> QuerySet[Escalation]:
    """Unresolved escalations, most severe first, then oldest first."""
    return (
        Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
        .select_related("patient__care_team", "acknowledged_by")
        .prefetch_related(
            Prefetch("patient__surgeries", queryset=Surgery.objects.order_by("-date")),
            Prefetch(
                "events",
                queryset=EscalationEvent.objects.select_related("actor", "message"),
            ),
            "pages",
        )
        .order_by("-severity", "opened_at")
    )


def messages_needing_review(now: dt.datetime) -> QuerySet[InboundMessage]:
    """Unmatched senders, failed triage, and messages the worker has not processed in time."""
    overdue = now - dt.timedelta(seconds=settings.TRIAGE_OVERDUE_SECONDS)
    stopped = Q(processed_at=None, processing_attempts__gte=PROCESSING_ATTEMPTS)
    return (
        InboundMessage.objects.filter(reviewed_at=None)
        .exclude(sender=InboundMessage.Sender.STAFF)
        .filter(
            Q(sender__in=[InboundMessage.Sender.UNKNOWN, InboundMessage.Sender.AMBIGUOUS])
            | Q(assessment__isnull=True)
            | Q(channel=Channel.VOICE, speech_confidence__lt=LOW_CONFIDENCE)
            | Q(processed_at=None, received_at__lte=overdue)
            # Processing failed: staff see why at once, while the sweep tries again.
            | (Q(processed_at=None) & ~Q(processing_error=""))
            # A red flag shows at once, before the worker has opened its escalation.
            | Q(processed_at=None, assessment__severity__in=["urgent", "emergency"])
            | Q(processed_at=None, assessment__needs_review=True)
            # Photos (a wound, a rash) need human eyes; the parser reads only words.
            | (Q(media_urls__isnull=False) & ~Q(media_urls=[]))
        )
        # No more attempts will be made: what the worker would have done falls to staff.
        .annotate(processing_stopped=ExpressionWrapper(stopped, output_field=BooleanField()))
        .select_related("patient__care_team")
        .order_by("received_at")
    )


def failed_sends(now: dt.datetime) -> QuerySet[OutboundMessage]:
    """Messages that could not be sent, or whose fate is unknown; never dropped silently."""
    return (
        OutboundMessage.objects.filter(reviewed_at=None)
        .filter(
            Q(
                status__in=[
                    OutboundMessage.Status.FAILED,
                    OutboundMessage.Status.UNDELIVERED,
                    OutboundMessage.Status.UNSETTLED,
                ]
            )
            | Q(status=OutboundMessage.Status.SENDING, status_updated_at__lte=now - STUCK_SENDING)
        )
        .select_related("patient__care_team")
        .order_by("created_at")
    )


def open_care_items() -> QuerySet[CareItem]:
    return CareItem.objects.filter(done_at=None).select_related("patient__care_team")


def _context(now: dt.datetime, working: Sequence[int] = ()) -> dict[str, object]:
    escalations = list(open_escalations())
    return {
        "escalations": escalations,
        # Emergencies nobody has acknowledged yet: the count in the page title.
        "open_emergencies": sum(
            e.severity == Severity.EMERGENCY and e.status == Escalation.Status.OPEN
            for e in escalations
        ),
        # A card a nurse is working on that a colleague resolved: the page tells her who.
        "resolved_while_working": Escalation.objects.filter(
            pk__in=working, status=Escalation.Status.RESOLVED
        ).select_related("resolved_by"),
        "care_items": open_care_items(),
        "review_messages": messages_needing_review(now),
        "failed_sends": failed_sends(now),
        "outcomes": Escalation.Outcome.choices,
        "default_tz": CareTeam.objects.values_list("time_zone", flat=True).first() or "UTC",
        "generated_at": now,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard.html", _context(timezone.now()))


@login_required
def rows(request: HttpRequest) -> HttpResponse:
    # Ids of the cards a nurse has open, sent by the page; anything else is ignored, not a 500.
    working = request.GET.get("working", "").split(",")[:50]
    ids = [int(pk) for pk in working if pk.isdecimal() and int(pk) < 2**63]
    return render(request, "_rows.html", _context(timezone.now(), ids))


@login_required
@require_POST
def acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Escalation, pk=pk)
    try:
        escalations.acknowledge(pk, request.user)
    except escalations.EscalationStateError as exc:
        messages.error(request, str(exc))
    return redirect("dashboard")


@login_required
@require_POST
def resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Escalation, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an outcome to resolve the escalation.")
        return redirect("dashboard")
    try:
        escalations.resolve(
            pk,
            request.user,
            form.cleaned_data["outcome"],
            form.cleaned_data["note"],
        )
    except escalations.EscalationStateError as exc:
        messages.error(request, str(exc))
    return redirect("dashboard")


# Messages a nurse can mark as looked at, by the name in the URL.
REVIEWABLE: dict[str, type[InboundMessage] | type[OutboundMessage]] = {
    "inbound": InboundMessage,
    "outbound": OutboundMessage,
}


@login_required
@require_POST
def mark_reviewed(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    REVIEWABLE[kind].objects.filter(pk=pk, reviewed_at=None).update(
        reviewed_at=timezone.now(), reviewed_by=request.user
    )
    return redirect("dashboard")


@login_required
@require_POST
def complete_care_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care.complete_care_item(pk, request.user)
    return redirect("dashboard")
