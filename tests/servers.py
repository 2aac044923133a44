"""Servers of a test's own, on free ports in a temporary folder: PostgreSQL and Redis.

Outage and broker tests stop, pause and restart these; the shared servers on the standard
ports are never touched, so two test runs at once cannot disturb each other.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """`manage.py` in a process of its own with this environment, its output captured."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def _wait_for(port: int, up: bool, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _answers(port) != up:
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} did not {'open' if up else 'close'} in {seconds} s")
        time.sleep(0.05)


def _pg_bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True)
        if (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    return Path(candidates[-1])


class PostgresServer:
    """A throwaway PostgreSQL cluster: start, stop (refuses connections), pause (hangs them)."""

    def __init__(self) -> None:
        # A folder of its own, not the test's tmp_path: an unprivileged owner must reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="followup-pg-"))
        self.data = self.folder / "pgdata"
        self.port = free_port()
        self.bin = _pg_bindir()
        # initdb refuses to run as root: the cluster belongs to an unprivileged user then.
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "nobody", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def init(self) -> None:
        if self._as_root:
            shutil.chown(self.folder, "nobody")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")
        _wait_for(self.port, up=True)

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        _wait_for(self.port, up=False)

    def _pids(self) -> list[int]:
        """The postmaster and every backend: all processes started from this data folder."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    def pause(self) -> None:
        """SIGSTOP the whole cluster: connections stay open and hang, as on a frozen host."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, signum: int) -> None:
        for pid in self._pids():
            # A backend that had exited is reaped by the postmaster once it runs again: gone.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.init()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.resume()
        with contextlib.suppress(Exception):
            server.stop("immediate")
        shutil.rmtree(server.folder, ignore_errors=True)


class RedisServer:
    """A throwaway Redis; with `appendonly`, what it acknowledged survives a restart."""

    def __init__(self, folder: Path, appendonly: bool = True) -> None:
        self.folder = folder
        self.port = free_port()
        self.appendonly = appendonly
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        command = [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.folder),
        ]
        command += ["--save", "", "--daemonize", "no", "--logfile", str(self.folder / "log")]
        command += ["--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "always"]
        self.process = subprocess.Popen(command)
        _wait_for(self.port, up=True)

    def kill(self) -> None:
        """kill -9: what was not on disk is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        _wait_for(self.port, up=False)


@contextlib.contextmanager
def redis_server(folder: Path, appendonly: bool = True) -> Iterator[RedisServer]:
    server = RedisServer(folder, appendonly)
    server.start()
    try:
        yield server
    finally:
        server.kill()
