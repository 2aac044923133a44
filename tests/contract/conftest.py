"""Stoplight Prism serving Twilio's official OpenAPI spec, the peer for the contract tests."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
# Twilio publishes the spec in twilio-oai; its CLI package ships the same file on npm.
SPEC = ROOT / "node_modules/@twilio/cli-core/src/services/twilio-api/twilio_api_v2010.json"
FORM = "application/x-www-form-urlencoded"
STARTUP_SECONDS = 30


def patch_form_arrays(spec: dict[str, Any]) -> int:
    """Declare array form fields as repeated keys, the way Twilio's clients send them.

    Prism keeps only the last value of a repeated form key and reads it as an array only when
    the spec gives the field an encoding style (stoplightio/prism#2473); without one it rejects
    StatusCallbackEvent or MediaUrl with 422 "must be array". Returns how many were patched.
    """
    patched = 0
    for operations in spec["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            form = operation.get("requestBody", {}).get("content", {}).get(FORM)
            if form is None:
                continue
            for name, schema in form.get("schema", {}).get("properties", {}).items():
                if schema.get("type") == "array":
                    form.setdefault("encoding", {})[name] = {
                        "style": "form",
                        "explode": True,
                        "allowReserved": True,
                    }
                    patched += 1
    return patched


def _unavailable(reason: str) -> NoReturn:
    # CI must prove the contract on every run; a laptop without Node may still run the rest.
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; `make test` installs it with npm ci", pytrace=False)
    pytest.skip(f"{reason} (run `make test` or `npm ci`)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True  # Prism has no route for "/" and says so with a 404: it is up.
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of Twilio's 2010-04-01 REST API, running for the session."""
    if shutil.which("node") is None:
        _unavailable("Node.js is not installed (Debian: apt-get install nodejs npm)")
    if not PRISM.exists():
        _unavailable(f"Prism is not installed at {PRISM.relative_to(ROOT)}")
    if not SPEC.exists():
        _unavailable(f"Twilio's OpenAPI spec is missing at {SPEC.relative_to(ROOT)}")

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    if not patch_form_arrays(spec):
        pytest.fail(f"no array form fields found in {SPEC.name}: has the spec changed shape?")
    workdir = tmp_path_factory.mktemp("prism")
    patched = workdir / "twilio_api_v2010.prism.json"
    patched.write_text(json.dumps(spec), encoding="utf-8")

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = workdir / "prism.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(patched)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(base_url + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                pytest.fail(f"Prism did not start on {base_url}:\n{output}", pytrace=False)
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
