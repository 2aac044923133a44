"""The deploy kit: its linters and validators, what the manifests promise, and the installed app."""

import gc
import http.client
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
TOOLS = Path(sys.executable).parent
OVERLAYS = sorted(p.name for p in (DEPLOY / "k8s" / "overlays").iterdir() if p.is_dir())
# The two web pools: staff pages on one, Twilio's webhooks on the other (README "Scaling out").
POOLS = ("followup-web", "followup-webhooks")
# Where the image keeps the fallback spool (deploy/Dockerfile, INBOUND_SPOOL_FALLBACK).
SPOOL = "/var/lib/followup/spool"


def run(*command: object, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=300, **kwargs
    )


def check(*command: object, **kwargs) -> str:
    """Runs a tool and fails the test with everything it said when it reports a problem."""
    result = run(*command, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def promtool() -> str:
    found = shutil.which("promtool") or "/usr/bin/promtool"
    assert Path(found).exists(), "promtool is missing: `make promtool` installs it"
    return found


def render(k8s: Path, overlay: str) -> Path:
    """Renders an overlay of a copy of deploy/k8s, its secrets.env filled from the example."""
    folder = k8s / "overlays" / overlay
    shutil.copy(folder / "secrets.env.example", folder / "secrets.env")
    output = k8s.parent / f"{overlay}.yaml"
    check(TOOLS / "kubectl", "kustomize", folder, "-o", output)
    return output


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    k8s = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(DEPLOY / "k8s", k8s)
    return {overlay: render(k8s, overlay) for overlay in OVERLAYS}


def objects(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def find(docs: list[dict], kind: str, name: str | None = None) -> list[dict]:
    return [
        d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    return {
        f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job", "StatefulSet")
    }


# Validators: each fails with the tool's own report.


def test_dockerfile_passes_hadolint():
    check(TOOLS / "hadolint", DEPLOY / "Dockerfile")


def test_compose_file_matches_the_compose_specification():
    check(
        TOOLS / "check-jsonschema",
        "--builtin-schema",
        "vendor.compose-spec",
        DEPLOY / "compose.yaml",
    )


def test_overlays_render_to_valid_kubernetes_objects(rendered):
    assert set(rendered) == {"staging", "production"}
    check(TOOLS / "kubernetes-validate", "--strict", "--quiet", *rendered.values())


def test_kubernetes_validation_rejects_a_misspelt_field(tmp_path):
    k8s = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", k8s)
    web = k8s / "base" / "web.yaml"
    web.write_text(web.read_text().replace("readinessProbe:", "readinesProbe:", 1))
    result = run(TOOLS / "kubernetes-validate", "--strict", "--quiet", render(k8s, "production"))
    assert result.returncode != 0
    assert "readinesProbe" in result.stdout + result.stderr


def test_alert_rules_pass_promtool_check_and_their_unit_tests():
    check(promtool(), "check", "rules", DEPLOY / "monitoring" / "alerts.rules.yml")
    check(promtool(), "test", "rules", DEPLOY / "monitoring" / "alerts.test.yml")


def test_dashboard_is_a_json_object_with_panels():
    dashboard = json.loads((DEPLOY / "monitoring" / "dashboard.json").read_text())
    assert dashboard["panels"]


# What the Kubernetes manifests promise.


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_runs_as_non_root_on_a_read_only_root(rendered, overlay):
    specs = pod_specs(objects(rendered[overlay]))
    assert {
        "Deployment/followup-web",
        "Deployment/followup-webhooks",
        "Deployment/followup-worker",
        "Deployment/followup-pages",
        "Job/followup-migrate",
    } <= set(specs)
    for owner, spec in specs.items():
        for container in spec.get("initContainers", []) + spec["containers"]:
            merged = {**spec.get("securityContext", {}), **container.get("securityContext", {})}
            where = f"{owner} {container['name']}"
            assert merged.get("runAsNonRoot") is True, where
            assert merged.get("runAsUser", 0) != 0, where
            assert merged.get("readOnlyRootFilesystem") is True, where
            assert merged.get("allowPrivilegeEscalation") is False, where
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, f"{where}: a read-only root needs a writable /tmp"  # noqa: S108


@pytest.mark.parametrize("pool", POOLS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_pool_is_probed_on_livez_and_readyz_and_keeps_its_metrics_on_a_volume(
    rendered, overlay, pool
):
    spec = pod_specs(objects(rendered[overlay]))[f"Deployment/{pool}"]
    (web,) = (c for c in spec["containers"] if c["name"] != "spool-replay")
    assert web["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert web["startupProbe"]["httpGet"]["path"] == "/livez"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = {e["name"]: e.get("value") for e in web.get("env", [])}
    mounts = {m["mountPath"] for m in web["volumeMounts"]}
    assert env["PROMETHEUS_MULTIPROC_DIR"] in mounts
    assert web["resources"]["requests"] and web["resources"]["limits"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_that_spools_to_a_file_of_its_own_replays_it(rendered, overlay):
    specs = pod_specs(objects(rendered[overlay]))
    spooling = set()
    for owner, spec in specs.items():
        own = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
        mounts = [m for c in spec["containers"] for m in c.get("volumeMounts", [])]
        if any(m["mountPath"] == SPOOL and m["name"] in own for m in mounts):
            spooling.add(owner)
            (replayer,) = (c for c in spec["containers"] if c["name"] == "spool-replay")
            assert "manage.py replay_inbound" in " ".join(replayer["args"]), owner
            assert SPOOL in {m["mountPath"] for m in replayer["volumeMounts"]}, owner
    assert {f"Deployment/{pool}" for pool in POOLS} <= spooling


@pytest.mark.django_db(transaction=True)
def test_the_spool_replay_container_stores_what_the_pods_file_holds(rendered, tmp_path):
    from django.db import connection
    from django.http import QueryDict

    from followup import spool
    from followup.models import InboundMessage
    from tests.test_webhooks import inbound

    specs = pod_specs(objects(rendered["production"]))
    (replayer,) = (
        c
        for c in specs["Deployment/followup-webhooks"]["containers"]
        if c["name"] == "spool-replay"
    )
    kept = tmp_path / "spool" / "inbound.jsonl"
    post = QueryDict(mutable=True)
    post.update(inbound("+17735550177", "my incision is leaking"))
    spool.FileStore(kept).append(spool.Entry.received("sms", "/twilio/sms/", post).to_json())
    db = connection.settings_dict
    env = {
        **os.environ,
        "PATH": f"{TOOLS}:{os.environ['PATH']}",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "INBOUND_SPOOL_FALLBACK": str(kept),
        "SPOOL_REPLAY_SECONDS": "0.2",
    }
    env.pop("INBOUND_SPOOL_URL", None)
    loop = subprocess.Popen(replayer["args"], cwd=REPO, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and kept.stat().st_size:
            time.sleep(0.2)
        assert kept.stat().st_size == 0, "the container did not replay the pod's spool"
        assert InboundMessage.objects.filter(from_number="+17735550177").count() == 1
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        loop.wait(timeout=10)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_migration_job_migrates_then_ensures_schedules(rendered, overlay):
    (job,) = find(objects(rendered[overlay]), "Job", "followup-migrate")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    command = " ".join(container.get("command", []) + container.get("args", []))
    assert "manage.py migrate --noinput && python manage.py ensure_schedules" in command
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_pool_has_its_own_autoscaler(rendered, overlay):
    docs = objects(rendered[overlay])
    targets = set()
    for hpa in find(docs, "HorizontalPodAutoscaler"):
        assert hpa["apiVersion"] == "autoscaling/v2"
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment"
        (deployment,) = find(docs, "Deployment", target["name"])
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # The autoscaler owns the count: a fixed one would be reset on every apply.
        assert "replicas" not in deployment["spec"]
        targets.add(target["name"])
    assert targets == set(POOLS)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_disruption_budgets_and_the_service_select_pods_that_exist(rendered, overlay):
    docs = objects(rendered[overlay])
    pods = {
        d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
        for d in find(docs, "Deployment")
    }
    selected = set()
    for pdb in find(docs, "PodDisruptionBudget"):
        wanted = pdb["spec"]["selector"]["matchLabels"].items()
        matches = [name for name, labels in pods.items() if wanted <= labels.items()]
        assert len(matches) == 1, f"{pdb['metadata']['name']} selects {matches}"
        selected.add(matches[0])
    assert selected == {*POOLS, "followup-worker", "followup-pages"}
    services = {}
    for service in find(docs, "Service"):
        wanted = service["spec"]["selector"].items()
        matches = [name for name, labels in pods.items() if wanted <= labels.items()]
        assert len(matches) == 1, f"{service['metadata']['name']} selects {matches}"
        services[service["metadata"]["name"]] = matches[0]
    assert services == {pool: pool for pool in POOLS}


def ingress_routes(docs: list[dict]) -> tuple[str, dict[str, str]]:
    """The Ingress's host, and which Deployment each of its paths reaches through its Service."""
    (ingress,) = find(docs, "Ingress")
    (rule,) = ingress["spec"]["rules"]
    routes = {}
    for route in rule["http"]["paths"]:
        assert route["pathType"] == "Prefix", route
        backend = route["backend"]["service"]
        (service,) = find(docs, "Service", backend["name"])
        (port,) = [p for p in service["spec"]["ports"] if p["name"] == backend["port"]["name"]]
        for deployment in find(docs, "Deployment"):
            template = deployment["spec"]["template"]
            if service["spec"]["selector"].items() <= template["metadata"]["labels"].items():
                served = {
                    p["name"] for c in template["spec"]["containers"] for p in c.get("ports", [])
                }
                assert port["targetPort"] in served
                routes[route["path"]] = deployment["metadata"]["name"]
    return rule["host"], routes


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_sends_twilio_to_the_webhooks_pool_and_the_rest_to_web(rendered, overlay):
    docs = objects(rendered[overlay])
    host, routes = ingress_routes(docs)
    assert routes == {"/twilio/": "followup-webhooks", "/": "followup-web"}
    (config,) = find(docs, "ConfigMap")
    assert host == config["data"]["ALLOWED_HOSTS"]
    assert host in find(docs, "Ingress")[0]["spec"]["tls"][0]["hosts"]
    webhooks = find(docs, "Deployment", "followup-webhooks")[0]["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in webhooks["containers"][0]["env"]}
    assert env["WEB_POOL"] == "webhooks"
    # The same image and command for both pools: only routing differs.
    web = find(docs, "Deployment", "followup-web")[0]["spec"]["template"]["spec"]
    assert webhooks["containers"][0]["image"] == web["containers"][0]["image"]
    assert webhooks["containers"][0]["args"] == web["containers"][0]["args"]


def test_every_twilio_route_is_under_the_prefix_the_proxies_send_to_the_webhooks_pool():
    from django.urls import get_resolver

    from followup import clinician_calls, patient_calls, webhooks

    twilio_views = {module.__name__ for module in (webhooks, patient_calls, clinician_calls)}
    for pattern in get_resolver().url_patterns:
        view = getattr(pattern, "callback", None)
        if view is not None and view.__module__ in twilio_views:
            assert str(pattern.pattern).startswith("twilio/"), pattern


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_take_config_and_secrets_that_the_overlay_generates(rendered, overlay):
    docs = objects(rendered[overlay])
    (config,) = find(docs, "ConfigMap")
    (secret,) = find(docs, "Secret")
    assert config["data"]["DJANGO_ENV"] == "production"
    assert config["data"]["ALLOWED_HOSTS"]
    for owner, spec in pod_specs(docs).items():
        for container in spec["containers"]:
            refs = {
                (kind, source[kind]["name"])
                for source in container["envFrom"]
                for kind in ("configMapRef", "secretRef")
                if kind in source
            }
            literal = [
                e["name"] for e in container.get("env", []) if SECRET_NAMES.search(e["name"])
            ]
            assert not literal, f"{owner}: {literal} belong in the Secret"
            assert refs == {
                ("configMapRef", config["metadata"]["name"]),
                ("secretRef", secret["metadata"]["name"]),
            }, owner


SECRET_NAMES = re.compile(r"SECRET|TOKEN|PASSWORD|DSN|AUTH")


def committed_deploy_files() -> list[Path]:
    listed = check(
        "git", "ls-files", "--cached", "--others", "--exclude-standard", "deploy", cwd=REPO
    ).split()
    return [REPO / name for name in listed if re.search(r"\.(ya?ml|example|env)$|Caddyfile", name)]


def test_committed_deploy_files_hold_no_secret_values():
    files = committed_deploy_files()
    assert DEPLOY / "k8s" / "overlays" / "production" / "secrets.env.example" in files
    for path in files:
        text = path.read_text()
        assert not re.search(r"^kind:\s*Secret\b", text, re.MULTILINE), path
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            match = re.match(r"\s*-?\s*([A-Z][A-Z0-9_]*)\s*[=:]\s*(\S.*)?$", line)
            if match and SECRET_NAMES.search(match[1]) and match[2]:
                value = match[2].strip().strip("\"'")
                assert value.startswith("${") or value == "", f"{path.name}: {line.strip()}"
            # Credentials inside URLs are placeholders only.
            for password in re.findall(r"://[^:/@\s]+:([^@\s]+)@", line):
                assert password == "PASSWORD", f"{path.name}: {line.strip()}"


@pytest.mark.parametrize(
    "path",
    ["deploy/followup.env", "deploy/.env", "deploy/k8s/overlays/production/secrets.env"],
)
def test_filled_in_secret_files_are_never_committed(path):
    assert run("git", "check-ignore", "-q", path, cwd=REPO).returncode == 0, path


# Compose and the Dockerfile.


def test_compose_services_use_only_defined_volumes_services_and_env_files():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "webhooks", "worker", "pages", "migrate", "db", "redis", "proxy"} <= set(
        services
    )
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (DEPLOY / source).exists(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: volume {source} is not defined"
        for env_file in service.get("env_file", []):
            assert (DEPLOY / f"{env_file}.example").exists(), f"{name}: {env_file}"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on {dependency}"
    for name in ("web", "webhooks", "worker", "pages"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert "--appendonly" in services["redis"]["command"]
    assert services["redis"]["command"][-2:] == ["--appendfsync", "everysec"]
    assert services["db"]["image"].startswith("postgres:16")


def caddy_routes() -> dict[str, str]:
    """Each `handle` block of the Caddyfile: its path matcher ("" for the rest) and its body."""
    text = re.sub(r"#.*", "", (DEPLOY / "Caddyfile").read_text())
    blocks = re.findall(r"^\s*handle\s*(\S*)\s*\{\s*([^{}]*?)\s*\}", text, re.M)
    # Caddy runs handle blocks before a bare respond or reverse_proxy, so one outside them
    # would never run (respond) or would take requests before the routes (a matcher-less one).
    outside = re.sub(r"^\s*handle\b[^{]*\{[^}]*\}", "", text, flags=re.M)
    assert "reverse_proxy" not in outside and "respond" not in outside
    return dict(blocks)


def test_caddy_sends_twilio_to_the_webhooks_pool_and_the_rest_to_web():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert caddy_routes() == {
        "/metrics": "respond 404",
        "/twilio/*": "reverse_proxy webhooks:8000",
        "": "reverse_proxy web:8000",
    }
    for name in ("web", "webhooks"):
        assert services[name]["expose"] == ["8000"]
        assert services["proxy"]["depends_on"][name] == {"condition": "service_healthy"}
    # The same image for both pools, and the image's own command: only routing differs.
    assert services["webhooks"]["image"] == services["web"]["image"]
    assert "command" not in services["webhooks"] and "command" not in services["web"]
    assert services["webhooks"]["environment"]["WEB_POOL"] == "webhooks"
    assert services["web"]["environment"]["WEB_POOL"] == ""
    # Both write the spool when the database is away; the pages worker replays it.
    for name in ("web", "webhooks", "pages"):
        assert "spool:/var/lib/followup/spool" in services[name]["volumes"]


def test_dockerfile_final_stage_runs_as_a_numeric_non_root_user_with_a_healthcheck():
    text = (DEPLOY / "Dockerfile").read_text()
    final = re.split(r"^FROM\s", text, flags=re.MULTILINE)[-1]
    (user,) = re.findall(r"^USER\s+(\S+)", final, flags=re.MULTILINE)
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    assert re.search(r"^HEALTHCHECK\s.*/livez", final, flags=re.MULTILINE | re.DOTALL)
    assert re.search(r"^CMD .*gunicorn.*deploy/gunicorn.conf.py", final, flags=re.MULTILINE)
    assert "deploy/install.sh /opt/venv" in text
    # Local state and secrets stay out of the build context.
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".git", ".venv", "node_modules", "db.sqlite3*", "staticfiles"} <= ignored
    assert "deploy/followup.env" in ignored


# gunicorn's configuration.


def load_gunicorn_conf(monkeypatch, **env: str) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_binds_the_port_and_worker_count_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, PORT="9123", WEB_CONCURRENCY="4")
    assert (conf["bind"], conf["workers"], conf["worker_class"]) == (["0.0.0.0:9123"], 4, "sync")
    default = load_gunicorn_conf(monkeypatch)
    assert default["bind"] == ["0.0.0.0:8000"]
    assert 3 <= default["workers"] <= 9
    # Hung workers are ended, well after any webhook's answer is due.
    assert 15 < default["timeout"] <= 60


def test_gunicorn_forks_workers_from_a_preloaded_app_left_out_of_their_collections(monkeypatch):
    # A recycled worker starts as a fork in milliseconds instead of importing the app for
    # seconds, and exits without touching (copying) every page of it.
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["preload_app"] is True
    before = gc.get_freeze_count()
    try:
        conf["pre_fork"](None, None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_gunicorn_start_clears_stale_metrics_files_only(monkeypatch, tmp_path):
    (tmp_path / "counter_4242.db").write_text("")
    (tmp_path / "keep.txt").write_text("")
    conf = load_gunicorn_conf(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    conf["on_starting"](None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_gunicorn_marks_a_dead_workers_metrics(monkeypatch, tmp_path):
    pytest.importorskip("prometheus_client")
    (tmp_path / "gauge_livesum_4242.db").write_text("")
    (tmp_path / "gauge_livesum_4343.db").write_text("")
    conf = load_gunicorn_conf(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    conf["child_exit"](None, SimpleNamespace(pid=4242))
    assert [p.name for p in tmp_path.iterdir()] == ["gauge_livesum_4343.db"]


# The install script, the installed app and gunicorn together.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, **headers: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.mark.slow
def test_installed_app_passes_deploy_checks_and_serves_pages_under_gunicorn(tmp_path):
    venv = tmp_path / "venv"
    check(DEPLOY / "install.sh", venv)
    static = tmp_path / "static"
    port = free_port()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "followup.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-deploy-smoke-test-key-" + "y" * 20,
        "ALLOWED_HOSTS": "followup.example.org",
        "BEHIND_PROXY": "true",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/followup_deploy_smoke",
        "TWILIO_GATEWAY": "twilio",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "smoke-test-token",
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_WEBHOOK_BASE_URL": "https://followup.example.org",
        "STATIC_ROOT": str(static),
        "INBOUND_SPOOL_URL": str(tmp_path / "spool" / "inbound.jsonl"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    python = venv / "bin" / "python"
    # Run away from the source tree: the installed package, not this checkout, must serve.
    check(
        python,
        "-m",
        "django",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        cwd=tmp_path,
        env=env,
    )
    check(python, "-m", "django", "collectstatic", "--noinput", cwd=tmp_path, env=env)
    assert (static / "followup" / "app.css").is_file()

    log = tmp_path / "gunicorn.log"
    server = serve(venv, env, log)
    try:
        # Probes by pod address over plain HTTP, as an orchestrator sends them.
        pod = {"Host": f"10.42.0.17:{port}"}
        assert get(port, "/livez?phone=%2B15551234567", **pod)[0] == 200
        assert get(port, "/readyz", **pod)[0] == 200
        # Pages and static files come from the install, behind the TLS proxy.
        public = {"Host": "followup.example.org", "X-Forwarded-Proto": "https"}
        status, body = get(port, "/login/", **public)
        assert status == 200, body
        assert "<title>Sign in · Spine Follow-up</title>" in body
        status, css = get(port, "/static/followup/app.css", **public)
        assert status == 200
        assert css == (REPO / "followup" / "static" / "followup" / "app.css").read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    output = log.read_text()
    assert "/livez" in output and "/login/" in output
    assert "15551234567" not in output, "the access log must not carry query strings"
    # Nothing written under the service user's home, which is read-only in the image.
    assert not (tmp_path / ".gunicorn").exists()

    # The webhooks pool: the same install, another port, WEB_POOL=webhooks.
    port = free_port()
    webhooks = serve(venv, {**env, "PORT": str(port), "WEB_POOL": "webhooks"}, log)
    try:
        pod = {"Host": f"10.42.0.17:{port}"}
        assert get(port, "/livez", **pod)[0] == 200
        assert get(port, "/readyz", **pod)[0] == 200
        public = {"Host": "followup.example.org", "X-Forwarded-Proto": "https"}
        assert get(port, "/login/", **public)[0] == 404
        assert get(port, "/static/followup/app.css", **public)[0] == 404
        # An unsigned text reaches the webhook and its signature check, not the pool's refusal.
        assert post(port, "/twilio/sms/", **public)[0] == 403
    finally:
        webhooks.send_signal(signal.SIGTERM)
        webhooks.wait(timeout=40)


def serve(venv: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Starts the installed gunicorn and waits until it answers /livez."""
    with log.open("a") as out:
        server = subprocess.Popen(
            [venv / "bin" / "gunicorn", "-c", DEPLOY / "gunicorn.conf.py", "followup.wsgi"],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        assert server.poll() is None, log.read_text()
        try:
            get(int(env["PORT"]), "/livez")
            return server
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)


def post(port: int, path: str, **headers: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body="", headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_systemd_units_run_the_installed_app_with_the_gunicorn_settings():
    commands = {
        unit.name: re.findall(r"^Exec\w*=(\S+)(.*)$", unit.read_text(), flags=re.MULTILINE)
        for unit in DEPLOY.glob("followup-*.service")
    }
    assert set(commands) >= {
        "followup-web.service",
        "followup-webhooks.service",
        "followup-worker.service",
        "followup-pages.service",
    }
    for unit, lines in commands.items():
        for program, _ in lines:
            # The installed app, or a script of the checkout it was installed from (backups).
            installed = program.startswith(("/opt/followup/venv/bin/", "/opt/followup/src/deploy/"))
            assert installed, f"{unit}: {program}"
    ports = set()
    for unit in ("followup-web.service", "followup-webhooks.service"):
        ((program, arguments),) = commands[unit]
        assert program.endswith("/gunicorn")
        assert "-c /opt/followup/src/deploy/gunicorn.conf.py" in arguments
        ports.update(re.findall(r"--bind 127\.0\.0\.1:(\d+)", arguments))
    assert len(ports) == 2, "each pool on a port of its own"
    text = (DEPLOY / "followup-webhooks.service").read_text()
    assert "Environment=WEB_POOL=webhooks" in text.splitlines()
