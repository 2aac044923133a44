"""gunicorn for the web process, from the environment: `gunicorn -c <this file> followup.wsgi`."""

import gc
import glob
import os

_port = os.environ.get("PORT", "8000")
# Command-line flags win over this file: systemd passes --bind 127.0.0.1:8000.
bind = [f"0.0.0.0:{_port}"]


def _default_workers() -> int:
    # The CPUs this process may use (a container's share, not the host's), 2 per core plus one;
    # capped because every worker keeps a PostgreSQL connection open.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 9)


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
# Sync workers only: a webhook's deadline on a frozen database (followup/outage.py) is a
# SIGALRM timer, which needs each request in its process's main thread.
worker_class = "sync"
# Webhooks answer well inside Twilio's 15 s; this only ends a worker that hangs. A restart
# waits this long for requests in flight.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Bounds the memory of a long-lived worker. At 1,000 requests a second the jitter does not keep
# two workers from restarting within the same second; preload_app makes that cheap.
max_requests = 1000
max_requests_jitter = 100
# The application (Django, the URLconf, triage's lexicons: some 1.7 s) is imported once, in the
# master, and each worker starts as a fork of it in milliseconds. Imported in each worker, two
# workers recycled together left nobody to answer a text for those 1.7 s: at 1,000 requests a
# second, one request in ten waited over a second. Code changes take a restart, not a HUP.
preload_app = True
# Heartbeat files on tmpfs, so a read-only root filesystem or a slow disk never stalls workers
# (gunicorn's own advice for containers); only gunicorn's processes touch them.
_shm = "/dev/shm"  # noqa: S108
worker_tmp_dir = _shm if os.path.isdir(_shm) else None
# No control socket (gunicornc): it would be written under $HOME, which is read-only or absent
# for the service user.
control_socket_disable = True

# Only the proxy in front may say which scheme and address a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on stdout, without the query string or the referrer: either may carry a
# patient id or a phone number.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def pre_fork(server: object, worker: object) -> None:
    # The imported application is left out of the worker's collections: otherwise a worker's last
    # collection, as it exits, touches (and so copies) every page of it, and a recycled worker
    # took half a second to go while no new one was started (Python's gc.freeze advice).
    gc.freeze()


def on_starting(server: object) -> None:
    # Counters left by workers of an earlier run would be added to this run's.
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for path in glob.glob(os.path.join(directory, "*.db")):
            os.remove(path)


def child_exit(server: object, worker: object) -> None:
    # A dead worker's live gauges must stop counting; prometheus_client keeps its totals.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
