"""The nurses' dashboard: open escalations and messages that need a human, refreshed live."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from followup import (
    access,
    audit,
    audit_views,
    care,
    dashboard_cards,
    dashboard_version,
    kept_queries,
    roster,
)
from followup import dashboard_lists as lists
from followup import escalation as escalations
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.conversation import PROCESSING_ATTEMPTS
from followup.findings import finding_words
from followup.forms import NOTE_CHARS, ResolveForm
from followup.inbound import LOW_CONFIDENCE
from followup.models import (
    CareItem,
    CareItemQuerySet,
    Channel,
    Escalation,
    EscalationEvent,
    EscalationQuerySet,
    InboundMessage,
    InboundMessageQuerySet,
    OutboundMessage,
    OutboundMessageQuerySet,
    Severity,
    Surgery,
    User,
)

STUCK_SENDING = dt.timedelta(minutes=5)
# How far ahead the dashboard warns of gaps in the on-call roster.
ROSTER_AHEAD = dt.timedelta(days=7)


@dataclass(frozen=True)
class Counts:
    """How many rows of each list the user's teams have, read with the version."""

    by_severity: dict[int, int]
    messages: int
    sends: int
    calls: int


def unresolved() -> EscalationQuerySet:
    return Escalation.objects.exclude(status=Escalation.Status.RESOLVED)


def open_escalations() -> EscalationQuerySet:
    """Unresolved escalations, most severe first, then oldest first."""
    return (
        unresolved()
        # Counted where they lie: the card shows how many pages went out, not the pages.
        .annotate(
            page_count=Coalesce(
                Subquery(
                    OutboundMessage.objects.filter(escalation=OuterRef("pk"))
                    .order_by()
                    .values("escalation")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            # Only the newest surgery says the post-op day; read for the rows shown only.
            surgery_on=Subquery(
                Surgery.objects.filter(patient=OuterRef("patient"))
                .order_by("-date")
                .values("date")[:1]
            ),
        )
        .order_by("-severity", "opened_at")
    )


def card_rows() -> EscalationQuerySet:
    """Open escalations as the first screen lists them, each read only as far as deciding
    whether its kept card is still right: the columns the dashboard counts and audits, what
    time passing changes on the card (post-op day, minutes since acknowledged), and a
    fingerprint of every row the card shows (followup/dashboard_cards.py). The rows of a card
    that changed are then read whole (`full_cards`)."""
    return fingerprinted(open_escalations()).only(
        "severity", "status", "patient", "acknowledged_at"
    )


def fingerprinted(escalations: EscalationQuerySet) -> EscalationQuerySet:
    """Each escalation with what decides its kept card beside it: the fingerprint of its rows
    and the zone its patient's post-op day is counted in."""
    return escalations.annotate(
        patient_time_zone=F("patient__time_zone"), fingerprint=dashboard_cards.fingerprint()
    )


def full_cards(user: User, listed: Sequence[Escalation], now: dt.datetime) -> dict[int, Escalation]:
    """The escalations `listed` (rows of `card_rows`) with everything their cards show, still
    within the user's scope; one resolved since the list was read is left out.

    Read in one snapshot, each with the fingerprint of the rows read: a colleague's change
    that lands after the list was read shows on the card, and the card is kept under the key
    of what it shows, never under the list's older one. The pages are counted and the surgery
    dated as the list read them."""
    by_pk = {escalation.pk: escalation for escalation in listed}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = list(
            fingerprinted(access.visible(unresolved(), user))
            .select_related("patient__care_team", "acknowledged_by", "assigned_to")
            .filter(pk__in=list(by_pk))
        )
        attach_history(rows)
    for row in rows:
        row.page_count = by_pk[row.pk].page_count  # type: ignore[attr-defined]
        row.surgery_on = by_pk[row.pk].surgery_on  # type: ignore[attr-defined]
        describe_findings(row, now)
    return {row.pk: row for row in rows}


def attach_history(escalations: Sequence[Escalation]) -> None:
    """Each card's events (`history`) and the patient's newest report behind it (`report`), in
    one query. Not prefetch_related: it builds a queryset per card to hold what it fetched,
    which cost more than the query itself at 150 cards."""
    history: dict[int, list[EscalationEvent]] = {e.pk: [] for e in escalations}
    events = EscalationEvent.objects.filter(escalation__in=list(history)).select_related(
        "actor", "message"
    )
    for event in events:
        history[event.escalation_id].append(event)
    for escalation in escalations:
        escalation.history = history[escalation.pk]  # type: ignore[attr-defined]
        reports = [event.message for event in history[escalation.pk] if event.message]
        escalation.report = reports[-1] if reports else None  # type: ignore[attr-defined]


def messages_needing_review(now: dt.datetime) -> InboundMessageQuerySet:
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
        # A red flag still waiting for its escalation goes first: the list is cut short.
        .annotate(
            waiting_flag=Case(
                When(
                    processed_at=None,
                    assessment__severity__in=["urgent", "emergency"],
                    then=Value(0),
                ),
                default=Value(1),
            )
        )
        .order_by("waiting_flag", "received_at")
    )


def failed_sends(now: dt.datetime) -> OutboundMessageQuerySet:
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


def open_care_items() -> CareItemQuerySet:
    return CareItem.objects.filter(done_at=None).select_related("patient__care_team")


def describe_findings(escalation: Escalation, now: dt.datetime) -> None:
    """Findings in clinical words with the patient's own, and minutes since acknowledged."""
    codes = list(dict.fromkeys([*escalation.findings, *escalation.evidence]))
    escalation.described = [  # type: ignore[attr-defined]
        (code, finding_words(code), escalation.evidence.get(code, "")) for code in codes
    ]
    minutes = dashboard_cards.minutes_since(escalation.acknowledged_at, now)
    if minutes is not None:
        escalation.acknowledged_minutes = minutes  # type: ignore[attr-defined]


def _context(
    user: User,
    now: dt.datetime,
    counts: Counts,
    working: Sequence[int] = (),
    shown: dict[str, int] | None = None,
) -> dict[str, object]:
    shown = shown or lists.defaults()
    # The selectors say what needs a human; the user's care teams say which of it she sees.
    by_severity = {value: n for value, n in counts.by_severity.items() if n}
    emergencies = by_severity.get(Severity.EMERGENCY, 0)
    scope = _scope(user)

    def first(name: str, limit: int, rows: Callable[[dt.datetime], QuerySet[Any]]) -> list[Any]:
        # Compiled once per process for this scope and limit (kept_queries), read each time.
        return kept_queries.rows((name, scope, limit), now, lambda at: rows(at)[:limit])

    # Most severe first, so the first rows are every open emergency, then the rest up to the limit.
    escalations = first(
        "cards",
        emergencies + shown["escalations"],
        lambda at: access.visible(card_rows(), user),
    )
    total = sum(by_severity.values())
    coverage = roster.coverage(
        access.teams_of(user).order_by("name"), now, ROSTER_AHEAD, kept=("roster", scope)
    )
    first_team = min((c.team for c in coverage), key=lambda team: team.pk, default=None)
    return {
        "escalations": escalations,
        "escalation_total": total,
        "escalation_more": total > len(escalations),
        "severity_counts": [
            (label, by_severity[value])
            for value, label in reversed(Severity.choices)
            if by_severity.get(value)
        ],
        # Emergencies nobody has acknowledged yet: the count in the page title.
        "open_emergencies": sum(
            e.severity == Severity.EMERGENCY and e.status == Escalation.Status.OPEN
            for e in escalations
        ),
        # A card a nurse is working on that a colleague resolved: the page tells her who.
        "resolved_while_working": access.visible(Escalation.objects.all(), user)
        .filter(pk__in=working, status=Escalation.Status.RESOLVED)
        .select_related("resolved_by"),
        "care_items": lists.bounded(
            first("calls", shown["calls"], lambda at: access.visible(open_care_items(), user)),
            shown["calls"],
            counts.calls,
        ),
        "review_messages": lists.bounded(
            first(
                "messages",
                shown["messages"],
                lambda at: access.visible(messages_needing_review(at), user),
            ),
            shown["messages"],
            counts.messages,
        ),
        "failed_sends": lists.bounded(
            first("sends", shown["sends"], lambda at: access.visible(failed_sends(at), user)),
            shown["sends"],
            counts.sends,
        ),
        "more": {name: lists.more_link(shown, name) for name in lists.LISTS},
        "outcomes": Escalation.Outcome.choices,
        "rights": access.rights_of(user),
        "coverage": coverage,
        # A message with no patient shows in the clock of the user's first team.
        "default_tz": first_team.time_zone if first_team else "UTC",
    }


def _shown(context: dict[str, Any]) -> list[int]:
    """The patients a rendering of the dashboard put in front of the user, for the audit trail."""
    return audit.patient_ids(
        context["escalations"],
        context["care_items"]["rows"],
        context["review_messages"]["rows"],
        context["failed_sends"]["rows"],
    )


def _scope(user: User) -> tuple[object, ...]:
    """What decides a statement's shape: whose scope. Team membership, and with it whether the
    unmatched senders every team sees are in it, is read by the statement when it runs."""
    return (user.pk, user.is_active, user.is_superuser)


def _version(
    user: User, now: dt.datetime, working: Sequence[int], shown: dict[str, int]
) -> tuple[str, Counts]:
    """The ETag of what the dashboard would show now, and the counts of its lists: one narrow
    statement, no rendering."""

    def lists(at: dt.datetime) -> list[dashboard_version.List]:
        return [
            dashboard_version.Tally(
                access.visible(unresolved(), user).values_list(*dashboard_version.ESCALATION),
                "severity",
                tuple(Severity.values),
            ),
            access.visible(messages_needing_review(at), user).values_list(
                *dashboard_version.MESSAGE
            ),
            access.visible(failed_sends(at), user).values_list(*dashboard_version.SEND),
            access.visible(open_care_items(), user).values_list(*dashboard_version.CALL),
            access.visible(Escalation.objects.all(), user)
            .filter(pk__in=working, status=Escalation.Status.RESOLVED)
            .values_list(*dashboard_version.RESOLVED),
        ]

    key = (_scope(user), tuple(working))
    state = dashboard_version.state(user, now, key, lists)
    found = dashboard_version.counts(state[-1])  # type: ignore[arg-type]
    # An empty list tallies nothing: every severity counts none.
    by_severity = dict(zip(Severity.values, found[0][1] or [0] * len(Severity.values), strict=True))
    counts = Counts(by_severity, messages=found[1][0], sends=found[2][0], calls=found[3][0])
    return quote_etag(dashboard_version.digest(state, sorted(working), shown)), counts


def _attach_cards(
    request: AuthenticatedHttpRequest, context: dict[str, Any], now: dt.datetime
) -> None:
    # Asked only when there are cards: asking marks the CSRF cookie to be sent again.
    token = get_token(request) if context["escalations"] else ""
    dashboard_cards.attach(
        context["escalations"],
        lambda listed: full_cards(request.user, listed, now),
        token,
        request.user,
        context["rights"],
        context["outcomes"],
        now,
    )


def _limits_or_400(request: AuthenticatedHttpRequest) -> dict[str, int] | HttpResponse:
    try:
        return lists.limits(request.GET)
    except lists.BadLimit as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@gzip_page
@requires(Right.READ_DASHBOARD)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = _limits_or_400(request)
    if isinstance(shown, HttpResponse):
        return shown
    now = timezone.now()
    # The page's own version, so its first refresh is a 304 when nothing changed since. Taken
    # before the rows are read: a change in between makes the next refresh send rows again,
    # never keeps older rows under a newer version.
    version, counts = _version(request.user, now, (), shown)
    context = _context(request.user, now, counts, shown=shown)
    context |= {"version": version, "rows_url": lists.rows_url(shown)}
    _attach_cards(request, context, now)
    response = render(request, "dashboard.html", context)
    audit_views.dashboard_viewed(request, _shown(context))
    return response


# Compressed: an unchanged refresh is a 304 with no body, a changed one a few kilobytes.
# BREACH needs a secret and attacker-chosen text in the same compressed body: the partial
# reflects nothing from the request (the ids in `working` come back only as escalations the
# user may see), its CSRF tokens are masked afresh in every response, and GZipMiddleware pads
# each response with random bytes.
@gzip_page
@requires(Right.READ_DASHBOARD)
def rows(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = _limits_or_400(request)
    if isinstance(shown, HttpResponse):
        return shown
    # Ids of the cards a nurse has open, sent by the page; anything else is ignored, not a 500.
    working = request.GET.get("working", "").split(",")[:50]
    ids = sorted({int(pk) for pk in working if pk.isdecimal() and len(pk) < 19})
    now = timezone.now()
    # Before the rows are read, as on the page.
    etag, counts = _version(request.user, now, ids, shown)
    if etag in parse_etags(request.headers.get("If-None-Match", "").replace("W/", "")):
        # Not a view: the browser keeps rows it was sent (and that sending was recorded), and
        # nothing about a patient leaves the server.
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, private=True, no_cache=True)
        return not_modified
    context = _context(request.user, now, counts, ids, shown)
    _attach_cards(request, context, now)
    response = render(request, "_rows.html", context)
    response["ETag"] = etag
    # Patient data: never kept by a shared cache, and checked against the server every time.
    patch_cache_control(response, private=True, no_cache=True)
    audit_views.dashboard_viewed(request, _shown(context))
    return response


@requires(Right.ACT_ON_ESCALATIONS)
@require_POST
def acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Another team's escalation is a 404 before anything changes, so its paging goes on.
    escalation = access.get_visible_or_404(Escalation.objects.all(), request.user, pk=pk)
    try:
        taken = escalations.acknowledge(pk, request.user)
    except escalations.EscalationStateError as exc:
        messages.error(request, str(exc))
        return redirect("dashboard")
    detail = f"escalation {pk}"
    if not taken:
        # A colleague was first (or a second press): said so, and recorded as it happened.
        escalation.refresh_from_db(fields=["acknowledged_by"])
        by = escalation.acknowledged_by
        messages.info(request, f"Already acknowledged by {by or 'someone'}.")
        detail += f": already acknowledged by {by.username if by else 'someone'}"
    audit_views.acted(request, audit.ACKNOWLEDGE, escalation.patient_id, detail)
    return redirect("dashboard")


@requires(Right.ACT_ON_ESCALATIONS)
@require_POST
def assign_to_me(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_visible_or_404(Escalation.objects.all(), request.user, pk=pk)
    if escalations.assign(pk, request.user):
        audit_views.acted(request, audit.ASSIGN, escalation.patient_id, f"escalation {pk}")
    else:
        messages.error(request, "This escalation was resolved meanwhile.")
    return redirect("dashboard")


@requires(Right.ACT_ON_ESCALATIONS)
@require_POST
def resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_visible_or_404(Escalation.objects.all(), request.user, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        # Said as the form found it: a note too long is not a missing outcome.
        problems = {
            "outcome": "Choose an outcome to resolve the escalation.",
            "note": f"The note is longer than {NOTE_CHARS:,} characters or holds a character "
            "that cannot be stored: shorten it and resolve again.",
        }
        for field in form.errors:
            messages.error(request, problems.get(field, "The escalation could not be resolved."))
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
    else:
        outcome = form.cleaned_data["outcome"]
        audit_views.acted(
            request, audit.RESOLVE, escalation.patient_id, f"escalation {pk}: {outcome}"
        )
    return redirect("dashboard")


# Messages a nurse can mark as looked at, by the name in the URL.
REVIEWABLE: dict[str, type[InboundMessage] | type[OutboundMessage]] = {
    "inbound": InboundMessage,
    "outbound": OutboundMessage,
}


@requires(Right.REVIEW_MESSAGES)
@require_POST
def mark_reviewed(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    message = access.visible(REVIEWABLE[kind].objects.filter(pk=pk), request.user)
    # Another team's message is a 404, never a silent no-op that hints it exists.
    found = message.first()
    if found is None:
        raise Http404
    detail = f"{kind} message {pk}"
    if not message.filter(reviewed_at=None).update(
        reviewed_at=timezone.now(), reviewed_by=request.user
    ):
        # Reviewed by a colleague meanwhile: hers stays on record, and this press says so.
        messages.info(request, "Already marked as reviewed.")
        detail += ": already reviewed"
    audit_views.acted(request, audit.REVIEW, found.patient_id, detail)
    return redirect("dashboard")


@requires(Right.COMPLETE_CARE_ITEMS)
@require_POST
def complete_care_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_visible_or_404(CareItem.objects.all(), request.user, pk=pk)
    care.complete_care_item(item.pk, request.user)
    audit_views.acted(request, audit.CARE_ITEM_DONE, item.patient_id, f"care item {pk}")
    return redirect("dashboard")
