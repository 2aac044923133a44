# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# Independent tests run in parallel, each worker with a test database of its own. Three on two
# cores: the slowest tests mostly wait on the servers and workers they start, so a third worker
# keeps both cores busy meanwhile. Work stealing: a worker that runs out takes half of another's
# queue, so the slow tests never queue up on one worker while the others sit idle (README,
# Benchmarks: make test's time).
TEST_WORKERS ?= 3
DEMO_ENV := DEMO_MODE=1 TWILIO_GATEWAY=fake

.PHONY: demo test lint install browser bench clean backup-tools

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version 2>&1))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Pages are tested in a real Chromium, Debian's build (browsers downloaded by test tools do not run here).
browser:
	@test -x $(CHROMIUM) || command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: install the 'chromium' package (sudo apt-get install chromium)"; exit 1; \
		fi; }

# Backups: deploy/backup.sh encrypts with age to a public recipient, so the machine that takes
# backups never holds the key that reads them; pg_dump/pg_restore come with the PostgreSQL client.
backup-tools:
	@command -v age >/dev/null && command -v pg_dump >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing age and the PostgreSQL client for the backup tests (apt-get install age postgresql-client)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age postgresql-client >/dev/null; \
		else \
			echo "age or pg_dump is missing: install the 'age' and 'postgresql-client' packages"; exit 1; \
		fi; }

# Stoplight Prism and Twilio's OpenAPI spec for tests/contract, as package-lock.json pins them.
# No package needs an install script; --include=dev keeps the tools under NODE_ENV=production.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
		echo "npm is missing: install Node.js 20+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --include=dev --ignore-scripts
	touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy triage followup

test: lint browser node_modules/.installed promtool backup-tools
	tests/with-postgres $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py ensure_schedules
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py run_demo

# Benchmarks: every one in a run, each against a fresh database of its own on the server
# tests/with-postgres gives (tests/bench_all.py); the webhook bench drives gunicorn with wrk.
WRK ?= /usr/bin/wrk
.PHONY: wrk
wrk:
	@test -x $(WRK) || command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing wrk for the webhook benchmark (apt-get install wrk)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else \
			echo "wrk is missing: install the 'wrk' package (sudo apt-get install wrk)"; exit 1; \
		fi; }

bench: $(VENV)/.installed-test wrk
	tests/with-postgres $(BIN)/python -m tests.bench_all $(BENCH_ARGS)

# Deployment: the deploy kit's linters and validators, offline (deploy/check.sh). hadolint,
# check-jsonschema, kubectl and kubernetes-validate come from the test extra; promtool from
# Debian's prometheus package. tests/test_deploy.py runs the same tools under `make test`.
PROMTOOL ?= /usr/bin/promtool
.PHONY: deploy-check promtool
promtool:
	@test -x $(PROMTOOL) || command -v promtool >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing promtool for the alert rule tests (apt-get install prometheus)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends prometheus >/dev/null; \
		else \
			echo "promtool is missing: install the 'prometheus' package (sudo apt-get install prometheus)"; exit 1; \
		fi; }

deploy-check: $(VENV)/.installed-test promtool
	BIN=$(BIN) deploy/check.sh

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pgtest
