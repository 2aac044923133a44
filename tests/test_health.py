"""/healthz: 503 with the reason when a pass failed or has not finished lately, else 200."""

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone
from django_q.models import Schedule

from followup import dispatch, nonresponders, tasks
from followup.conversation import retry_unprocessed
from followup.dispatch import dispatch_due
from followup.health import PASSES
from followup.models import CheckIn, WorkerPass
from followup.nonresponders import chase
from followup.paging import advance_ladders
from tests.test_dispatch import make_due


def run_every_pass():
    dispatch_due()
    chase()
    retry_unprocessed()
    advance_ladders()


def schedule_current():
    Schedule.objects.filter(name="dispatch").update(next_run=timezone.now())


@pytest.mark.django_db
def test_healthz_is_ok_when_the_schedule_is_current_and_every_pass_finished_cleanly(client):
    run_every_pass()
    schedule_current()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "worker": "ok",
        **dict.fromkeys(PASSES, "ok"),
        "spool": {"depth": 0, "dead": 0, "oldest_seconds": 0},
    }


@pytest.mark.django_db
def test_healthz_reports_a_pass_with_a_failed_item_and_says_what_failed(client):
    (checkin,) = make_due()
    CheckIn.objects.filter(pk=checkin.pk).update(questions=[])
    run_every_pass()
    schedule_current()
    response = client.get("/healthz")
    assert response.status_code == 503
    reason = response.json()["dispatch"]
    assert reason.startswith("the last dispatch pass, at ")
    assert f"1 of 1 items failed; last: check-in {checkin.pk}: ValueError" in reason
    assert response.json()["paging"] == "ok"
    # The check-in was stopped: the next pass is clean, and so is the worker.
    dispatch_due()
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_reports_passes_that_have_not_finished_lately(client, settings):
    run_every_pass()
    stale = timezone.now() + dt.timedelta(seconds=settings.WORKER_STALE_SECONDS + 1)
    with time_machine.travel(stale, tick=False):
        schedule_current()  # the scheduler still queues tasks; they never finish
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "ok"
    assert response.json()["paging"] == "no paging pass has finished in the last 180 s"


@pytest.mark.django_db
def test_healthz_reports_a_pass_that_never_ran(client):
    schedule_current()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["dispatch"] == "no dispatch pass has finished in the last 180 s"


@pytest.mark.django_db
def test_a_pass_that_stops_on_an_error_is_recorded_and_reported(client, monkeypatch):
    run_every_pass()

    def expire_stale(now, run):
        raise OperationalError("the database went away")

    monkeypatch.setattr(dispatch, "expire_stale", expire_stale)
    with pytest.raises(OperationalError):
        dispatch_due()
    schedule_current()
    run = WorkerPass.objects.get(name="dispatch")
    assert run.error == "the pass stopped: OperationalError: the database went away"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "the database went away" in response.json()["dispatch"]


@pytest.mark.django_db
def test_the_worker_still_chases_non_responders_when_the_dispatch_pass_fails(monkeypatch):
    def dispatch_due():
        raise OperationalError("the database went away")

    monkeypatch.setattr(dispatch, "dispatch_due", dispatch_due)
    chased = []
    monkeypatch.setattr(nonresponders, "chase", lambda: chased.append(True))
    with pytest.raises(OperationalError):
        tasks.dispatch_due()
    assert chased == [True]
