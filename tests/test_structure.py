"""Where code lives: the rules of the layout that a change could quietly break."""

import ast
from pathlib import Path

import pytest

FOLLOWUP = Path(__file__).resolve().parent.parent / "followup"


def _modules() -> list[Path]:
    return sorted(p for p in FOLLOWUP.rglob("*.py") if "migrations" not in p.parts)


def _writes_checkin_status(tree: ast.AST) -> list[int]:
    """Lines that set a check-in's status: `.update(status=CheckIn.Status...)`, assignments."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            writes = node.func.attr in ("update", "save", "update_or_create", "bulk_update")
            lines += [
                node.lineno
                for keyword in node.keywords
                if writes
                and keyword.arg == "status"
                and "CheckIn.Status" in ast.unparse(keyword.value)
            ]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            lines += [
                node.lineno
                for target in targets
                if isinstance(target, ast.Attribute)
                and target.attr == "status"
                and (
                    "CheckIn.Status" in ast.unparse(node.value or ast.Constant(""))
                    or "checkin" in ast.unparse(target.value)
                )
            ]
    return lines


def test_only_the_checkins_module_changes_a_checkins_status():
    offenders = {
        str(path.relative_to(FOLLOWUP.parent)): lines
        for path in _modules()
        if path.name != "checkins.py"
        and (lines := _writes_checkin_status(ast.parse(path.read_text())))
    }
    assert offenders == {}


def test_the_status_check_finds_the_writes_it_exists_to_forbid():
    # The check above would pass on anything if it could not see these.
    for source in (
        "CheckIn.objects.filter(pk=1).update(status=CheckIn.Status.FAILED)",
        "checkin.status = CheckIn.Status.COMPLETED",
        "checkin.status = status",
    ):
        assert _writes_checkin_status(ast.parse(source)) == [1], source
    assert _writes_checkin_status(ast.parse("message.status = OutboundMessage.Status.QUEUED")) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(FOLLOWUP.parent)))
def test_no_module_reads_the_request_outside_views(path):
    """Services take values, not the HttpRequest: only views and middleware see the request."""
    tree = ast.parse(path.read_text())
    takes_request = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(
            a.annotation is not None and "HttpRequest" in ast.unparse(a.annotation)
            for a in node.args.args
        )
    }
    if takes_request:
        assert path.stem in VIEW_MODULES, (path, sorted(takes_request))


VIEW_MODULES = {
    "webhooks", "patient_calls", "clinician_calls", "dashboard", "media", "health", "views",
    "errors", "context_processors", "links", "admin", "auth", "audit_views", "access", "signin",
    "patients",
    "enroll_views", "chart_views",
    "patient_list",
    "headers",
    "roster_views",
    "archive_views", "report_views",
    "probes",
    "request_id", "scrape",
    "pools", "nul_bytes",
}  # fmt: skip
