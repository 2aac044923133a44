#!/usr/bin/env bash
# Install Spine Follow-up and its dependencies into a new virtualenv: deploy/install.sh VENV_DIR
# Not editable: the virtualenv holds the code, its pages and static files, and nothing points back
# at this source tree. The image's build, the systemd path and tests/test_deploy.py all use it.
set -euo pipefail

venv=${1:-}
if [ -z "$venv" ] || [ "$#" -ne 1 ]; then
    echo "usage: deploy/install.sh VENV_DIR" >&2
    exit 2
fi
src=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "install.sh: Python 3.11 or newer is needed ($python is $("$python" --version 2>&1))" >&2
    exit 1
}
[ -f "$src/pyproject.toml" ] || { echo "install.sh: no pyproject.toml in $src" >&2; exit 1; }

# Build from a clean copy: setuptools leaves build/ and *.egg-info in the tree it builds, and a
# stale build/ would put files deleted since then into the install.
work=$(mktemp -d "${TMPDIR:-/tmp}/followup-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$src" -cf - \
    --exclude=./.git --exclude=./.venv --exclude=./node_modules --exclude=./build \
    --exclude='*.egg-info' --exclude=__pycache__ --exclude=./staticfiles --exclude='./db.sqlite3*' \
    --exclude=./deploy/screenshots . | tar -C "$work" -xf -

"$python" -m venv "$venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "$work"

# A wheel without its pages installs fine and fails on the first request: refuse it here.
"$venv/bin/python" - <<'PY'
import importlib.util
import pathlib
import sys

site = pathlib.Path(importlib.util.find_spec("followup").origin).parent.parent
missing = [p for p in ("templates/base.html", "followup/static/followup/app.css") if not (site / p).is_file()]
if missing:
    sys.exit(f"install.sh: the install lacks {', '.join(missing)}: check package-data in pyproject.toml")
PY
echo "Installed Spine Follow-up into $venv"
