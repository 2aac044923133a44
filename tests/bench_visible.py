"""Reply to visible: a red flag texted in, then seen on a nurse's dashboard, polled every 2 s.

    DATABASE_URL=postgres://.../followup_visible .venv/bin/python -m tests.bench_visible

gunicorn with two sync workers (deploy/gunicorn.conf.py) serves the webhook and the dashboard;
the workers run as in production: `manage.py run_pages` (woken by the stored row's NOTIFY) and
the default qcluster, with the fake gateway. Signed texts reporting an emergency, each from a
patient with nothing open, are posted to /twilio/sms/ while calm replies keep the webhook busy;
a nurse's dashboard polls /rows/ every 2 s with its ETag, as the page does. Each reply's time is
from its POST to the first poll whose body shows its escalation. Printed beside it, from the
same run: the POST's own answer (the row stored), the escalation's opening (the worker), and the
floor the poll itself sets (on average half a poll; at worst a whole one).

DATABASE_URL names a fresh PostgreSQL database of its own (migrated and filled here).
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

from tests.bench_webhook import BASE_URL, SMS, TOKEN, environment, free_port, wait_up

ROOT = Path(__file__).resolve().parent.parent
ROWS = "/rows/"
EMERGENCY = "I can't feel down there and I wet myself"
CALM = "no numbness"


class Server:
    """gunicorn, run_pages and the default qcluster on the benchmark's database."""

    def __init__(self, port: int, folder: Path) -> None:
        env = {**environment(port), "TWILIO_FAKE_OUTBOX": str(folder / "outbox.jsonl")}
        env.pop("BENCH_BARE_VIEW", None)
        self.log = (folder / "processes.log").open("w")
        commands = [
            ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "followup.wsgi"],
            ["manage.py", "run_pages"],
            ["manage.py", "qcluster"],
        ]
        self.processes = [
            subprocess.Popen(
                [sys.executable, *command],
                cwd=ROOT,
                env=env,
                stdout=self.log,
                stderr=self.log,
                start_new_session=True,
            )
            for command in commands
        ]

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        self.log.close()


def seed(red_flags: int, calm: int) -> tuple[list[str], list[str], str]:
    """Patients awaiting an answer: those who will report a red flag, those who write calmly;
    and a signed-in nurse of their team's session cookie."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.utils import timezone

    from followup.models import CareTeam, CheckIn
    from tests import measure_dashboard
    from tests.factories import make_enrolled_patient, make_user

    run = uuid.uuid4().hex[:6]
    team = CareTeam.objects.create(name=f"Visible {run}", clinic_phone="+13125550100")
    # Numbers of this run's own: a rerun on the same database must not share them.
    area = CareTeam.objects.count() % 700 + 200
    phones = []
    for n in range(red_flags + calm):
        patient, _ = make_enrolled_patient(
            care_team=team, phone=f"+1{area}{n:07d}", mrn=f"V{run}{n}"
        )
        checkin = CheckIn.objects.filter(enrollment__patient=patient).order_by("due_at")[0]
        CheckIn.objects.filter(pk=checkin.pk).update(
            status=CheckIn.Status.AWAITING, sent_at=timezone.now(), question_index=0
        )
        phones.append(patient.phone)
    nurse = make_user(username=f"visible-{run}", phone="")
    team.members.add(nurse)
    # Signed in with the second step, as in production.
    client = measure_dashboard.signed_in(nurse)
    return (
        phones[:red_flags],
        phones[red_flags:],
        client.cookies[settings.SESSION_COOKIE_NAME].value,
    )


def post(port: int, number: str, body: str) -> None:
    from twilio.request_validator import RequestValidator

    params = {
        "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32, "From": number,
        "To": "+15005550006", "Body": body, "NumMedia": "0", "SmsStatus": "received",
    }  # fmt: skip
    signature = RequestValidator(TOKEN).compute_signature(BASE_URL + SMS, params)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{SMS}",
        data=urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


class Nurse(threading.Thread):
    """Polls the rows every `interval` seconds with the last ETag; notes when each escalation
    first shows."""

    def __init__(self, port: int, cookie: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.port, self.cookie, self.interval = port, cookie, interval
        self.first_seen: dict[int, float] = {}
        self.polls = self.unchanged = 0
        self.stop = threading.Event()

    def run(self) -> None:
        etag, tick = "", time.monotonic()
        while not self.stop.is_set():
            headers = {"Cookie": f"sessionid={self.cookie}"}
            if etag:
                headers["If-None-Match"] = etag
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}{ROWS}", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = response.read().decode()
                    etag = response.headers.get("ETag", "")
                now = time.monotonic()
                for pk in re.findall(r'data-escalation="(\d+)"', body):
                    self.first_seen.setdefault(int(pk), now)
            except urllib.error.HTTPError as exc:
                if exc.code != 304:
                    raise
                self.unchanged += 1
            self.polls += 1
            # On a fixed beat, as the page's setInterval: a slow answer does not push it back.
            tick += self.interval
            self.stop.wait(max(0.0, tick - time.monotonic()))


def background(port: int, phones: list[str], every: float, stop: threading.Event) -> None:
    """Calm replies, one at a time, until stopped: the webhook load beside the red flags."""
    while not stop.is_set():
        post(port, random.choice(phones), CALM)
        stop.wait(every)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100, help="red flags (100)")
    parser.add_argument("--every", type=float, default=0.7, help="seconds between them (0.7)")
    parser.add_argument("--poll", type=float, default=2.0, help="the dashboard's poll (2 s)")
    parser.add_argument("--calm", type=float, default=0.05, help="seconds between calm texts")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of the benchmark's own")
    port = free_port()
    os.environ.update(environment(port))
    sys.path.insert(0, str(ROOT))
    red_flags, calm, cookie = seed(args.replies, 20)
    from followup.models import Escalation, Patient

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(port, Path(tmp))
        stop = threading.Event()
        nurse: Nurse | None = None
        load = threading.Thread(target=background, args=(port, calm, args.calm, stop))
        try:
            wait_up(port)
            post(port, calm[0], CALM)  # both paths warm before the clock starts
            nurse = Nurse(port, cookie, args.poll)
            nurse.start()
            load.start()
            posted: dict[str, tuple[float, float, float]] = {}  # phone: monotonic, wall, answered
            for phone in red_flags:
                started, wall = time.monotonic(), time.time()
                post(port, phone, EMERGENCY)
                posted[phone] = (started, wall, time.monotonic() - started)
                time.sleep(args.every * random.uniform(0.5, 1.5))
            patients = dict(Patient.objects.filter(phone__in=red_flags).values_list("pk", "phone"))
            escalations: dict[str, tuple[int, float]] = {}
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                opened = Escalation.objects.filter(patient__in=patients)
                escalations = {
                    patients[e.patient_id]: (e.pk, e.opened_at.timestamp()) for e in opened
                }
                if len(escalations) == len(red_flags) and all(
                    pk in nurse.first_seen for pk, _ in escalations.values()
                ):
                    break
                time.sleep(0.5)
        finally:
            stop.set()
            if load.is_alive():
                load.join()
            if nurse is not None:
                nurse.stop.set()
                nurse.join()
            server.stop()
    missing = [
        phone for phone in red_flags if escalations.get(phone, (0, 0))[0] not in nurse.first_seen
    ]
    if missing:
        raise SystemExit(f"{len(missing)} red flags never showed on the dashboard")
    visible = [nurse.first_seen[escalations[p][0]] - posted[p][0] for p in red_flags]
    answered = [posted[p][2] for p in red_flags]
    opened = [escalations[p][1] - posted[p][1] for p in red_flags]
    for label, values in (
        ("webhook answered (row stored)", answered),
        ("escalation opened (worker)", opened),
        ("reply to visible", visible),
    ):
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        print(f"{label:30} p50 {p50:6.2f} s  p99 {p99:6.2f} s")
    print(f"poll floor: {args.poll / 2:.2f} s on average, {args.poll:.2f} s at worst")
    print(f"replies: {len(visible)}; polls {nurse.polls}, {nurse.unchanged} unchanged (304)")


if __name__ == "__main__":
    main()
