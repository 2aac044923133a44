"""The dispatch pass: start due check-ins, resend what is due again, settle uncertain sends."""

import datetime as dt
import functools
import time

from django.conf import settings
from django.utils import timezone

from followup import checkins
from followup.gateway import Gateway, get_gateway
from followup.health import Pass, recorded_pass
from followup.models import CheckIn, Enrollment
from followup.sending import THROTTLE_MAX_WAIT, due_again, send_message, settle_uncertain

BATCH = 200
# A pass stops claiming new work after this long, well inside the task timeout.
PASS_BUDGET = dt.timedelta(seconds=40)


def dispatch_due(now: dt.datetime | None = None, gateway: Gateway | None = None) -> int:
    """One pass: start due check-ins, retry what is due again, settle uncertain sends."""
    now = now or timezone.now()
    deadline = time.monotonic() + PASS_BUDGET.total_seconds()
    gateway = gateway or get_gateway()
    with recorded_pass("dispatch") as run:
        expire_stale(now, run)
        started = 0
        due = CheckIn.objects.filter(
            status=CheckIn.Status.PENDING,
            due_at__lte=now,
            enrollment__status=Enrollment.Status.ACTIVE,
        ).order_by("due_at")
        # A check-in whose failure could not even be recorded stays pending: once is enough.
        tried: set[int] = set()
        while time.monotonic() < deadline and (
            batch := list(due.exclude(id__in=tried).values_list("id", flat=True)[:BATCH])
        ):
            for checkin_id in batch:
                if time.monotonic() > deadline:
                    break
                tried.add(checkin_id)
                message = None
                failed = functools.partial(checkins.fail, checkin_id, now, "writing its question")
                with run.item(f"check-in {checkin_id}", failed):
                    message = checkins.claim(checkin_id, now)
                if message is not None:
                    with run.item(f"message {message.pk}"):
                        send_message(message.pk, gateway, max_wait=_remaining(deadline))
                    started += 1
        retry = due_again(now).order_by("created_at").values_list("id", flat=True)
        for message_id in list(retry[:BATCH]):
            if time.monotonic() > deadline:
                break
            with run.item(f"message {message_id}"):
                send_message(message_id, gateway, now=now, max_wait=_remaining(deadline))
        settle_uncertain(now, run, gateway)
    return started


def _remaining(deadline: float) -> dt.timedelta:
    # A pass may wait for pacing slots for as long as its own time budget lasts.
    return max(THROTTLE_MAX_WAIT, dt.timedelta(seconds=deadline - time.monotonic()))


def expire_stale(now: dt.datetime, run: Pass) -> None:
    """Check-ins that could not go out within the send window expire, and staff hear of it."""
    cutoff = now - dt.timedelta(minutes=settings.CHECKIN_SEND_WINDOW_MINUTES)
    stale = CheckIn.objects.filter(status=CheckIn.Status.PENDING, due_at__lt=cutoff).exclude(
        enrollment__status__in=[Enrollment.Status.PAUSED]
    )
    for checkin in stale.select_related("enrollment__patient"):
        failed = functools.partial(checkins.fail, checkin.pk, now, "expiring it")
        with run.item(f"check-in {checkin.pk}", failed):
            checkins.expire(checkin, now)
