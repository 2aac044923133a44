#!/usr/bin/env bash
# Lint and validate the deploy kit offline: deploy/check.sh (make deploy-check installs the tools).
# Every tool runs even after one fails, so one run lists every problem.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.venv/bin}
promtool=${PROMTOOL:-promtool}
status=0
step() { echo "== $*"; "$@" || { status=1; echo "FAILED: $*" >&2; }; }

step "$bin/hadolint" deploy/Dockerfile
step "$bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yaml

# The overlays need their secrets.env, which is never committed: render copies that use the
# examples instead.
work=$(mktemp -d "${TMPDIR:-/tmp}/followup-k8s.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R deploy/k8s "$work/"
for overlay in "$work"/k8s/overlays/*/; do
    name=$(basename "$overlay")
    cp "$overlay/secrets.env.example" "$overlay/secrets.env"
    step "$bin/kubectl" kustomize "$overlay" -o "$work/$name.yaml"
    step "$bin/kubernetes-validate" --strict --quiet "$work/$name.yaml"
done

step "$promtool" check rules deploy/monitoring/alerts.rules.yml
step "$promtool" test rules deploy/monitoring/alerts.test.yml
step "$bin/python" -m json.tool deploy/monitoring/dashboard.json /dev/null

[ "$status" = 0 ] && echo "deploy-check: all passed" || echo "deploy-check: some checks failed" >&2
exit "$status"
