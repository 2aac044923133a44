"""The triage package stays pure Python: importing it must not pull in Django."""

import ast
import subprocess
import sys
from pathlib import Path

TRIAGE = Path(__file__).resolve().parents[2] / "triage"


def test_importing_triage_loads_no_django_module():
    code = (
        "import sys, triage, triage.tools.cli, triage.tools.scoring, triage.tools.bench, "
        "triage.tools.build_wordlist, triage.bench; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "assert not bad, bad"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=TRIAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            names.update(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return names


def test_no_triage_source_names_django():
    sources = sorted(TRIAGE.rglob("*.py"))
    assert sources, "triage/ has no sources"
    offenders = {
        str(path.relative_to(TRIAGE)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "django"
        )
        for path in sources
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_source_scan_would_catch_a_django_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.conf import settings\nimport django.db\n")
    assert {"django.conf", "django.db"} <= _imported_modules(sample)
