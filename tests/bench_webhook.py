"""The SMS webhook against a plain view in the same server: `python -m tests.bench_webhook`.

gunicorn with two sync workers (deploy/gunicorn.conf.py) and the fake gateway serves both; wrk
(Debian's package) posts signed texts from patients answering a check-in, each with its own
MessageSid, to /twilio/sms/, then the same requests to an empty TwiML view that the server routes
only when BENCH_BARE_VIEW=1. The clinic has open escalations paged to a clinician, so a lookup
that walks them shows. Rounds alternate and the ranges are printed: the machine may be shared.

DATABASE_URL names a PostgreSQL database of its own (migrated and filled here, never emptied).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://bench.example.org"
TOKEN = "bench-token"
SMS, BARE = "/twilio/sms/", "/bench/bare/"
STAFF_PHONE = "+13125559900"

# Each wrk thread takes every n-th request of the file, so no MessageSid is posted twice.
LUA = r"""
local requests, i, id, threads = {}, 0, 0, 1
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  threads = tonumber(args[2])
  local n = 0
  for line in io.lines(args[1]) do
    if n % threads == id then
      local sig, body = line:match("([^\t]*)\t(.*)")
      requests[#requests + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = sig,
      }, body)
    end
    n = n + 1
  end
end
function request()
  i = i + 1
  return requests[((i - 1) % #requests) + 1]
end
"""


def environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="followup.settings",
        TWILIO_GATEWAY="fake",
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_WEBHOOK_BASE_URL=BASE_URL,
        WEB_CONCURRENCY="2",
        PORT=str(port),
        BENCH_BARE_VIEW="1",
        LOG_LEVEL="WARNING",
    )
    return env


def seed(patients: int, escalations: int) -> list[str]:
    """A clinic of enrolled patients each awaiting an answer; the phones they write from."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from followup.models import CareTeam, CheckIn, Escalation, OutboundMessage, Patient, User
    from tests.factories import make_enrolled_patient, make_user

    team = CareTeam.objects.filter(name="Bench clinic").first()
    if team is None:
        staff = make_user(username=f"bench-oncall-{uuid.uuid4().hex[:6]}", phone=STAFF_PHONE)
        team = CareTeam.objects.create(name="Bench clinic", clinic_phone="+13125550100")
        now = timezone.now()
        for n in range(patients):
            patient, _ = make_enrolled_patient(care_team=team, phone=f"+1773{n:07d}")
            checkin = CheckIn.objects.filter(enrollment__patient=patient).order_by("due_at")[0]
            CheckIn.objects.filter(pk=checkin.pk).update(
                status=CheckIn.Status.AWAITING, sent_at=now, question_index=0
            )
            if n < escalations:
                escalation = Escalation.objects.create(
                    patient=patient, severity=3, findings=["bladder"], opened_at=now
                )
                OutboundMessage.objects.create(
                    to=STAFF_PHONE, body="page", kind=OutboundMessage.Kind.PAGE,
                    staff=staff, escalation=escalation, patient=patient,
                    status=OutboundMessage.Status.DELIVERED,
                )  # fmt: skip
    assert User.objects.filter(phone=STAFF_PHONE).exists()
    return list(Patient.objects.filter(care_team=team).values_list("phone", flat=True))


def write_requests(path: Path, phones: list[str], count: int) -> None:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(TOKEN)
    with path.open("w") as out:
        for n in range(count):
            params = {
                "MessageSid": "SM" + uuid.uuid4().hex,
                "AccountSid": "AC" + "0" * 32,
                "From": phones[n % len(phones)],
                "To": "+15005550006",
                "Body": "no numbness",
                "NumMedia": "0",
                "NumSegments": "1",
                "SmsStatus": "received",
                "ApiVersion": "2010-04-01",
            }
            signature = validator.compute_signature(BASE_URL + SMS, params)
            out.write(f"{signature}\t{urlencode(params)}\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(port: int, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def run_wrk(port: int, path: str, script: Path, requests: Path, args: argparse.Namespace) -> float:
    threads = str(args.threads)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script),
         f"http://127.0.0.1:{port}{path}", "--", str(requests), threads],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if rate is None:
        raise SystemExit(f"wrk said:\n{result.stdout}{result.stderr}")
    if errors:
        raise SystemExit(f"{path}: {errors.group(1)} failed responses\n{result.stdout}")
    return float(rate.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="each round (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="bare and webhook rounds (3)")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--escalations", type=int, default=200, help="open, paged (200)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of the benchmark's own")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    port = free_port()
    os.environ.update(environment(port))
    sys.path.insert(0, str(ROOT))
    phones = seed(args.patients, args.escalations)
    with tempfile.TemporaryDirectory() as tmp:
        script, requests = Path(tmp) / "post.lua", Path(tmp) / "requests.tsv"
        script.write_text(LUA)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "followup.wsgi"],
            cwd=ROOT, env=environment(port),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_up(port)
            # Unmeasured: both workers' first requests of each kind (and the compiled queries).
            write_requests(requests, phones, 2000)
            warm = argparse.Namespace(**{**vars(args), "seconds": 2})
            run_wrk(port, BARE, script, requests, warm)
            run_wrk(port, SMS, script, requests, warm)
            bare, hooks = [], []
            for _ in range(args.rounds):
                # Enough fresh MessageSids for the fastest round: a retry would be measured else.
                write_requests(requests, phones, 4000 * args.seconds)
                bare.append(run_wrk(port, BARE, script, requests, args))
                hooks.append(run_wrk(port, SMS, script, requests, args))
        finally:
            server.terminate()
            server.wait(timeout=30)
    ratios = [hook / floor for hook, floor in zip(hooks, bare, strict=True)]
    print(f"bare view  req/s: {min(bare):7.0f} - {max(bare):7.0f}")
    print(f"sms webhook req/s: {min(hooks):7.0f} - {max(hooks):7.0f}")
    print(f"ratio (same round): {min(ratios):.2f} - {max(ratios):.2f}")


if __name__ == "__main__":
    main()
