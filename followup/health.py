"""/healthz: database and worker health for monitoring."""

import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django_q.models import Schedule


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok", "worker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        schedule = Schedule.objects.filter(name="dispatch").first()
    except DatabaseError:
        return JsonResponse({"database": "down", "worker": "unknown"}, status=503)
    # The cluster's scheduler moves next_run forward each time it queues the dispatch pass.
    stale_before = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    if schedule is None:
        checks["worker"] = "no dispatch schedule (run migrate)"
    elif schedule.next_run is None or schedule.next_run < stale_before:
        checks["worker"] = "stale: the dispatch schedule has not run (is qcluster running?)"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
