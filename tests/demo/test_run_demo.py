"""run_demo: the web server and task worker together, stopped together."""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from followup.demo.management.commands import run_demo
from tests.demo.conftest import free_port

pytestmark = pytest.mark.usefixtures("demo_app")

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture
def no_children(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("run_demo started a process")

    monkeypatch.setattr(run_demo.subprocess, "Popen", refuse)


def test_run_demo_refuses_outside_demo_mode(settings, no_children):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("run_demo")


def test_run_demo_refuses_the_real_gateway(demo_mode, no_children):
    demo_mode.TWILIO_GATEWAY = "twilio"
    with pytest.raises(CommandError, match="fake gateway"):
        call_command("run_demo")


def test_run_demo_refuses_a_port_in_use(demo_mode, no_children):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CommandError, match="already in use"):
            call_command("run_demo", port=taken.getsockname()[1])


def python(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code])


def test_supervise_names_the_child_that_died_and_stop_all_ends_the_rest():
    children = {
        "sleeper": python("import time; time.sleep(60)"),
        "quitter": python("raise SystemExit(3)"),
    }
    try:
        assert run_demo.supervise(children, []) == "quitter"
        run_demo.stop_all(children, signal.SIGTERM)
        assert children["quitter"].returncode == 3
        assert children["sleeper"].returncode == -signal.SIGTERM
    finally:
        for child in children.values():
            child.kill()
            child.wait()


def test_supervise_returns_at_once_when_a_signal_arrived():
    children = {"sleeper": python("import time; time.sleep(60)")}
    try:
        assert run_demo.supervise(children, [signal.SIGINT]) is None
        run_demo.stop_all(children, signal.SIGINT)
        assert children["sleeper"].poll() is not None
    finally:
        children["sleeper"].kill()
        children["sleeper"].wait()


def running(pid: int) -> bool:
    """Whether the process lives (a killed orphan may stay a zombie until init reaps it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_stop_all_kills_a_child_that_will_not_stop_with_the_processes_it_started(monkeypatch):
    # As qcluster under load: it ignores the signal past the timeout, and has workers of its own.
    monkeypatch.setattr(run_demo, "STOP_TIMEOUT", 0.5)
    stubborn = (
        "import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "print(worker.pid, flush=True); time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", stubborn], stdout=subprocess.PIPE, start_new_session=True
    )
    worker = int(child.stdout.readline())
    try:
        run_demo.stop_all({"task worker": child}, signal.SIGTERM)
        assert child.returncode == -signal.SIGKILL
        deadline = time.monotonic() + 5
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(worker)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()


# run_demo end to end, on the SQLite database `make demo` uses


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    env = {**os.environ, "DEMO_MODE": "1", "TWILIO_GATEWAY": "fake"}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env.pop("DJANGO_ENV", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return env


def start_demo(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_demo", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_banner(demo: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        if url in line:
            return
        if not line and demo.poll() is not None:
            break
    pytest.fail(f"run_demo never printed {url}: {demo.stderr.read()}")


def processes_using(database_url: str) -> list[int]:
    """Live processes started with this DATABASE_URL (the demo's children)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"DATABASE_URL={database_url}".encode() in environ.split(b"\0") and state != "Z":
            found.append(int(proc.name))
    return found


def wait_until_gone(database_url: str, timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := processes_using(database_url)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
def test_run_demo_serves_the_app_and_ctrl_c_stops_both_processes(demo_env):
    port = free_port()
    demo = start_demo(demo_env, port)
    try:
        wait_for_banner(demo, f"http://127.0.0.1:{port}/")
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        assert len(processes_using(demo_env["DATABASE_URL"])) >= 3
        demo.send_signal(signal.SIGINT)
        out, err = demo.communicate(timeout=30)
        assert demo.returncode == 0, err
        assert "Stopping the demo (SIGINT)" in out
        assert wait_until_gone(demo_env["DATABASE_URL"]) == []
    finally:
        demo.kill()


@pytest.mark.slow
def test_run_demo_exits_and_says_so_when_the_web_server_dies(demo_env):
    port = free_port()
    demo = start_demo(demo_env, port)
    try:
        wait_for_banner(demo, f"http://127.0.0.1:{port}/")
        web = [
            pid
            for pid in processes_using(demo_env["DATABASE_URL"])
            if b"runserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(web) == 1
        os.kill(web[0], signal.SIGKILL)
        _, err = demo.communicate(timeout=30)
        assert demo.returncode == 1
        assert "The web server exited" in err
        assert wait_until_gone(demo_env["DATABASE_URL"]) == []
    finally:
        demo.kill()


class Browser:
    """A person at the demo's pages: cookies kept, forms posted with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> str:
        """The form at `path`, filled in and posted; the page it leads to."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path))
        assert token, f"no CSRF token on {path}"
        data = urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def crawl(self, start: str, limit: int) -> dict[str, int]:
        """The status of every page linked from `start` on, breadth first, up to `limit` pages."""
        seen: dict[str, int] = {}
        queue = [start]
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            try:
                with self.opener.open(self.base + path, timeout=30) as response:
                    seen[path] = response.status
                    page = response.read().decode(errors="replace")
            except urllib.error.HTTPError as error:
                seen[path] = error.code
                continue
            for link in re.findall(r'href="(/[^"#?]*)', page):
                # Signing out is a POST; static files are not pages.
                if link not in seen and not link.startswith(("/static/", "/admin/logout")):
                    queue.append(link)
        return seen


@pytest.mark.slow
def test_the_seeded_demo_signs_in_a_nurse_and_shows_her_a_patients_red_flag(demo_env):
    # `make demo` step by step on SQLite: everything the tests run on PostgreSQL must work here too.
    seeded = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=BASE_DIR, env=demo_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    port = free_port()
    demo = start_demo(demo_env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_banner(demo, base + "/")
        nurse = Browser(base)
        signed_in = nurse.submit("/login/", {"username": "nurse", "password": "spine-demo"})
        assert "Sign out" in signed_in or "Log out" in signed_in, signed_in[:500]
        patients = nurse.get("/demo/phone/")
        first = re.search(r'href="/demo/phone/(\d+)/"', patients)
        assert first, patients[:500]
        thread = nurse.submit(f"/demo/phone/{first.group(1)}/", {"body": "I cant feel my legs"})
        assert "I cant feel my legs" in thread
        deadline = time.monotonic() + 30
        while "cant feel my legs" not in (board := nurse.get("/")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "cant feel my legs" in board
        # Every page a nurse and an administrator can reach by following links answers.
        admin = Browser(base)
        admin.submit("/login/", {"username": "admin", "password": "spine-demo"})
        for person, start in ((nurse, "/"), (admin, "/"), (admin, "/admin/")):
            statuses = person.crawl(start, limit=60)
            assert len(statuses) >= 10, statuses
            assert [path for path, status in statuses.items() if status >= 500] == []
    finally:
        demo.send_signal(signal.SIGINT)
        demo.communicate(timeout=30)
