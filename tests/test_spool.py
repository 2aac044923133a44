"""The spool: webhooks answered and kept while the database is down, stored once when it is back."""

import contextlib
import datetime as dt
import json
import logging
import socket
import time

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from followup import outage, replay, spool, tasks
from followup.conversation import process_inbound
from followup.health import PASSES
from followup.models import Escalation, InboundMessage, OutboundMessage
from tests.factories import make_enrolled_patient
from tests.servers import free_port, redis_server
from tests.test_health import run_every_pass, schedule_current
from tests.test_ivr import start_call
from tests.test_webhooks import SMS, STATUS, awaiting, inbound

EMERGENCY = "I can't feel my legs and I wet myself"


def entry(body="hello", route="sms", **extra):
    post = QueryDict(mutable=True)
    for name, value in inbound("+17735550199", body, **extra).items():
        post[name] = value
    return spool.Entry.received(route, f"/twilio/{route}/", post)


@contextlib.contextmanager
def database_down():
    """Point the connection at a port where nothing listens, as if the server were stopped."""
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(free_port())
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved
        outage._down_until = 0.0


def test_a_file_spool_keeps_every_parameter_and_the_receive_time(settings):
    kept = entry("first", MediaUrl0="https://api.twilio.com/m/1")
    where = spool.put(kept)
    assert where.name == f"file {settings.INBOUND_SPOOL_FALLBACK}"
    (raw,) = where.peek(10)
    again = spool.Entry.from_json(raw)
    assert again == kept
    assert again.params["MediaUrl0"] == ["https://api.twilio.com/m/1"]
    where.remove([raw])
    assert where.depth() == 0


def test_a_redis_spool_survives_a_crash_of_redis(settings, tmp_path):
    with redis_server(tmp_path / "redis") as server:
        settings.INBOUND_SPOOL_URL = server.url(1)
        kept = [entry(f"message {i}") for i in range(3)]
        for item in kept:
            assert spool.put(item).name == "redis"
        server.kill()
        server.start()
        raws = spool.primary().peek(10)
        assert [spool.Entry.from_json(raw) for raw in raws] == kept
        spool.primary().remove(raws[:1])
        assert spool.primary().depth() == 2
        assert spool.fallback().depth() == 0


def test_when_redis_is_down_the_entry_goes_to_the_local_file(settings):
    settings.INBOUND_SPOOL_URL = f"redis://127.0.0.1:{free_port()}/0"
    assert spool.put(entry()).name.startswith("file ")
    assert spool.fallback().depth() == 1


def test_a_redis_that_never_answers_is_given_up_within_the_webhooks_time(settings):
    with socket.socket() as silent:
        # Connections are accepted by the kernel and then hear nothing, as from a frozen host.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.INBOUND_SPOOL_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()
        assert spool.put(entry()).name.startswith("file ")
        # One try, no retries with back-off: the webhook has Twilio's 15 s in all.
        assert time.monotonic() - started < spool.REDIS_TIMEOUT + 1


@pytest.mark.django_db(transaction=True)
def test_a_webhook_under_a_broken_database_answers_the_emergency_in_both_languages(twilio_post):
    with database_down():
        started = time.monotonic()
        response = twilio_post(SMS, inbound("+17735550123", EMERGENCY))
        quiet = twilio_post(SMS, inbound("+17735550124", "all good today thanks"))
        status = twilio_post(STATUS, {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"})
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    text = response.content.decode()
    assert "call 911" in text and "llame al 911" in text
    assert "legs" not in text
    assert quiet.status_code == 200 and "<Message>" not in quiet.content.decode()
    assert status.status_code == 204
    assert elapsed < 10
    assert spool.fallback().depth() == 3
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_replay_stores_each_text_once_with_what_was_answered_and_opens_the_escalation(
    twilio_post,
):
    patient, _ = make_enrolled_patient()
    awaiting(patient, "bladder_bowel")
    params = inbound(patient.phone, EMERGENCY)
    with database_down():
        answered = twilio_post(SMS, params).content.decode()
        twilio_post(SMS, params)  # the same message again, still during the outage
    received_during = timezone.now()
    counts = replay.replay()
    assert (counts.stored, counts.duplicates, counts.dead, counts.left) == (1, 1, 0, 0)
    message = InboundMessage.objects.get(message_sid=params["MessageSid"])
    assert message.received_at < received_during
    reply = OutboundMessage.objects.get(in_reply_to=message)
    assert reply.status == OutboundMessage.Status.REPLIED
    assert reply.body == outage.OUTAGE_SAFETY_REPLY and reply.body in answered
    process_inbound(message.pk)
    assert Escalation.objects.filter(patient=patient).count() == 1
    assert replay.replay().stored == 0
    assert (
        InboundMessage.objects.count() == 1
        and OutboundMessage.objects.filter(status=OutboundMessage.Status.REPLIED).count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_a_replay_stopped_between_storing_and_removing_stores_nothing_twice(
    twilio_post, monkeypatch
):
    with database_down():
        for i in range(3):
            twilio_post(SMS, inbound("+17735550130", f"message {i}"))
    store = spool.fallback()
    real_remove = store.remove

    def crash(raws):
        raise OSError("killed before removing")

    monkeypatch.setattr(store, "remove", crash)
    with pytest.raises(OSError):
        replay._replay_store(store, replay.Replayed(), limit=100)
    assert InboundMessage.objects.count() == 3
    monkeypatch.setattr(store, "remove", real_remove)
    counts = replay.replay()
    assert (counts.stored, counts.duplicates, counts.left) == (0, 3, 0)
    assert InboundMessage.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_spooled_copy_of_a_message_stored_after_the_database_came_back_is_a_duplicate(
    twilio_post,
):
    params = inbound("+17735550140", EMERGENCY)
    with database_down():
        twilio_post(SMS, params)
    # Twilio delivers the same message again (a retry, an override) once the database is back.
    normal = twilio_post(SMS, params).content.decode()
    assert "911" in normal
    counts = replay.replay()
    assert (counts.stored, counts.duplicates) == (0, 1)
    message = InboundMessage.objects.get()
    assert message.replies.count() == 1


@pytest.mark.django_db
def test_entries_that_cannot_be_replayed_are_set_aside_without_patient_data_in_the_log(
    caplog, client
):
    store = spool.fallback()
    store.append('{"id": "cut short", "params": {"Body": ["my wound')
    store.append(entry("my wound is leaking", MessageSid="not-a-sid").to_json())
    store.append(entry("fine").to_json())
    with caplog.at_level(logging.INFO):
        counts = replay.replay()
    assert (counts.stored, counts.dead, counts.left) == (1, 2, 0)
    assert "wound" not in caplog.text and "not-a-sid" not in caplog.text
    assert "moved to the dead letters" in caplog.text
    assert client.get("/healthz").json()["spool"]["dead"] == 2


@pytest.mark.django_db
def test_healthz_is_degraded_while_an_entry_waits_too_long(client):
    run_every_pass()
    schedule_current()
    old = entry()
    spool.put(
        spool.Entry(**{**old.__dict__, "received_at": timezone.now() - dt.timedelta(minutes=6)})
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert all(body[name] == "ok" for name in ("database", "worker", *PASSES))
    assert body["spool"]["depth"] == 1 and body["spool"]["oldest_seconds"] >= 360


@pytest.mark.django_db
def test_when_nothing_can_keep_the_request_the_answer_is_503_with_the_reason(
    twilio_post, settings, tmp_path
):
    (tmp_path / "a-file").write_text("")
    settings.INBOUND_SPOOL_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.INBOUND_SPOOL_FALLBACK = str(tmp_path / "a-file" / "inbound.jsonl")
    outage._mark_down()
    response = twilio_post(SMS, inbound("+17735550150", "hello"))
    assert response.status_code == 503
    assert "not kept" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_deadline_interrupts_a_database_that_does_not_answer_and_the_next_request_reconnects():
    started = time.monotonic()
    with (
        pytest.raises(outage.DatabaseDeadline),
        outage.deadline(1),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(20) AS hung")
    assert time.monotonic() - started < 3
    outage.discard_connection()
    assert time.monotonic() - started < 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
        # The server sleeps on until it notices; the test database must be free to drop.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query LIKE 'SELECT pg_sleep(20) AS hung%%' AND pid <> pg_backend_pid()"
        )


def test_an_entry_is_one_json_line_with_the_signed_params_and_the_route():
    data = json.loads(entry("hola").to_json())
    assert data["route"] == "sms" and data["path"] == "/twilio/sms/"
    assert data["params"]["Body"] == ["hola"]
    assert "\n" not in entry("two\nlines").to_json()


@pytest.mark.django_db(transaction=True)
def test_a_call_without_the_database_gives_the_advice_in_both_languages_and_hangs_up(
    twilio_post, outbox
):
    _, call = start_call(outbox)
    with database_down():
        response = twilio_post(
            reverse("ivr-start", args=[call.pk]),
            {"CallSid": call.twilio_sid, "AccountSid": "AC" + "0" * 32},
        )
    assert response.status_code == 200
    twiml = response.content.decode()
    assert "call 9 1 1" in twiml and "llame al 9 1 1" in twiml
    assert twiml.rstrip().endswith("<Hangup /></Response>")


@pytest.mark.django_db(transaction=True)
def test_a_call_status_received_while_the_database_is_down_is_recorded_on_replay(
    twilio_post, outbox
):
    _, call = start_call(outbox)
    call.refresh_from_db()
    with database_down():
        response = twilio_post(
            reverse("ivr-status"), {"CallSid": call.twilio_sid, "CallStatus": "no-answer"}
        )
    assert response.status_code == 204
    assert replay.replay().stored == 1
    call.refresh_from_db()
    assert call.call_outcome == "no-answer"


@pytest.mark.django_db(transaction=True)
def test_a_status_callback_received_while_the_database_is_down_is_recorded_on_replay(
    twilio_post,
):
    patient, _ = make_enrolled_patient()
    sent = OutboundMessage.objects.get(patient=patient, kind=OutboundMessage.Kind.WELCOME)
    with database_down():
        twilio_post(STATUS, {"MessageSid": sent.twilio_sid, "MessageStatus": "read"})
    replay.replay()
    sent.refresh_from_db()
    assert sent.status == "read"


@pytest.mark.django_db(transaction=True)
def test_the_workers_minute_task_replays_the_spool_once_the_database_is_back(twilio_post):
    params = inbound("+17735550160", EMERGENCY)
    with database_down():
        twilio_post(SMS, params)
        # While the database is down the pass does nothing, and loses nothing.
        assert replay.replay_quietly() is None
    tasks.advance_ladders()
    assert InboundMessage.objects.filter(message_sid=params["MessageSid"]).exists()
    assert spool.fallback().depth() == 0


def _append_many(path: str, worker: int) -> None:
    store = spool.FileStore(path)
    for n in range(100):
        store.append(json.dumps({"worker": worker, "n": n, "pad": "x" * 5000}))


def test_gunicorn_workers_appending_at_once_leave_every_line_whole(tmp_path):
    import multiprocessing

    path = str(tmp_path / "inbound.jsonl")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(path, w)) for w in range(4)]
    for process in workers:
        process.start()
    # A replay removing lines meanwhile must not drop what is appended around it.
    store = spool.FileStore(path)
    removed = 0
    while any(process.is_alive() for process in workers) or store.depth():
        lines = store.peek(10)
        store.remove(lines)
        removed += len(lines)
        assert all(json.loads(line)["pad"] for line in lines)
    for process in workers:
        process.join()
    assert removed == 400
