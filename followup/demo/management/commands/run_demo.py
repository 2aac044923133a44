"""Run the demo: the web server, the task worker and the pages worker, until Ctrl-C or one dies."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from followup.demo.data import logins
from followup.models import Patient

# How long a child may take to stop after being asked before it is killed.
STOP_TIMEOUT = 10.0
POLL_SECONDS = 0.2
# Signals that stop the demo; each is passed on to both children (see start_children).
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Children = dict[str, subprocess.Popen[bytes]]


class Command(BaseCommand):
    help = "Run the demo web server and its task and pages workers together (DEMO_MODE only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="default: 8000")

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("run_demo runs only in demo mode: set DEMO_MODE=1 (make demo).")
        if settings.TWILIO_GATEWAY != "fake":
            # The demo patients' numbers are fictional; the real gateway would try to text them.
            raise CommandError("run_demo needs the fake gateway: set TWILIO_GATEWAY=fake.")
        if not 0 < port < 65536:
            raise CommandError(f"--port {port}: use a port between 1 and 65535.")
        if not port_is_free(port):
            raise CommandError(f"Port {port} is already in use: pick another with --port.")
        try:
            seeded = Patient.objects.exists()
        except DatabaseError as exc:
            raise CommandError(
                f"The database is not ready ({exc}): run `manage.py migrate`."
            ) from exc
        if not seeded:
            self.stderr.write("No patients yet: run `manage.py seed_demo` for demo data.")
        received: list[int] = []
        for signum in FORWARDED:
            signal.signal(signum, lambda number, frame: received.append(number))
        children = start_children(port)
        if wait_until_listening(port, children, received):
            self.stdout.write(banner(port))
        died = supervise(children, received)
        if died is None:
            self.stdout.write(f"Stopping the demo ({signal.Signals(received[0]).name}).")
            # django-q stops gracefully on SIGINT and SIGTERM, but a hang-up would kill it mid-task.
            stop_all(children, signal.SIGINT if received[0] == signal.SIGINT else signal.SIGTERM)
            return
        code = children[died].returncode
        self.stderr.write(f"The {died} exited (code {code}); stopping the demo.")
        stop_all(children, signal.SIGTERM)
        raise CommandError(f"The {died} exited unexpectedly (code {code}).")


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_children(port: int) -> Children:
    manage = str(settings.BASE_DIR / "manage.py")
    commands = {
        "web server": [sys.executable, manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        "task worker": [sys.executable, manage, "qcluster"],
        # Escalation pages and red flags, on a queue and timer of their own (followup/queues.py).
        "pages worker": [sys.executable, manage, "run_pages"],
    }
    # Own sessions, so each child gets one signal (forwarded) rather than the terminal's too.
    return {
        name: subprocess.Popen(command, start_new_session=True)  # noqa: S603 - fixed argv
        for name, command in commands.items()
    }


def wait_until_listening(
    port: int, children: Children, received: list[int], timeout: float = 30.0
) -> bool:
    """Wait for the web server to accept connections, so the banner follows its start-up lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not received:
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(POLL_SECONDS)
    return False


def supervise(children: Children, received: list[int]) -> str | None:
    """Block until a child exits (return its name) or a signal arrives (return None)."""
    while not received:
        for name, child in children.items():
            if child.poll() is not None:
                return name
        time.sleep(POLL_SECONDS)
    return None


def stop_all(children: Children, signum: int) -> None:
    """Forward the signal to every child still running; kill those that do not stop in time.

    A child that does not stop is killed with the processes it started (its session's process
    group): qcluster's own workers would otherwise live on, holding the database and the demo's
    output open.
    """
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signum)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def banner(port: int) -> str:
    url = f"http://127.0.0.1:{port}/"
    return "\n".join(
        [
            "",
            f"Spine Follow-up demo is running at {url}",
            f"  nurses' dashboard: {url}",
            f"  patient phone:     {url}demo/phone/",
            logins(),
            "Texts go to the fake gateway; nothing leaves this machine. Ctrl-C stops the demo.",
            "",
        ]
    )
