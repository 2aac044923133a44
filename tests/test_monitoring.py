"""deploy/monitoring: alerts and dashboard use only metrics the app exposes; promtool passes."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from followup import metrics

MONITORING = Path(__file__).resolve().parent.parent / "deploy" / "monitoring"
NAME = re.compile(r"\bfollowup_[a-z_]+")
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def base(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def dashboard_exprs():
    dashboard = json.loads((MONITORING / "dashboard.json").read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


@pytest.mark.django_db
def test_alerts_and_dashboard_name_only_metrics_the_app_exposes(client):
    counted = {m._name for m in vars(metrics).values() if isinstance(m, MetricWrapperBase)}
    text = client.get("/metrics").content.decode()
    scraped = {family.name for family in text_string_to_metric_families(text)}
    exposed = counted | scraped
    rules = (MONITORING / "alerts.rules.yml").read_text()
    used = {base(n) for n in NAME.findall(rules + "\n".join(dashboard_exprs()))}
    assert used, "no metric found in the monitoring files"
    assert used <= exposed, used - exposed
    # Every state metric is on the dashboard.
    assert {n for n in scraped if n.startswith("followup_")} <= used


def test_the_dashboard_picks_its_data_source():
    dashboard = json.loads((MONITORING / "dashboard.json").read_text())
    (variable,) = dashboard["templating"]["list"]
    assert variable["type"] == "datasource" and variable["query"] == "prometheus"
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert all(p["datasource"]["uid"] == "${datasource}" for p in panels)


@pytest.mark.skipif(
    not shutil.which("promtool"), reason="promtool missing (apt-get install prometheus)"
)
@pytest.mark.parametrize(
    "command", [["check", "rules", "alerts.rules.yml"], ["test", "rules", "alerts.test.yml"]]
)
def test_promtool_accepts_the_rules_and_their_tests(command):
    result = subprocess.run(["promtool", *command], cwd=MONITORING, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
