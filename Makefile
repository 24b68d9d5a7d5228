# certprep: `make run` serves the product with a demo engagement; `make test` runs the whole suite;
# `make test-fast` the everyday loop (no browser, no fuzzing, no PostgreSQL).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test test-fast fuzz venv test-venv system-run-deps system-test-deps lint lock messages bench clean-demo

$(VENV)/.runtime: requirements.lock
	@interp=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "Creating $(VENV) with $$interp"; rm -rf $(VENV); "$$interp" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.lock
	@touch $@

venv: $(VENV)/.runtime
test-venv: $(VENV)/.test

run: system-run-deps venv
	@if command -v java >/dev/null 2>&1; then $(MAKE) --no-print-directory mpp-support; fi
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py load_catalogue
	@$(PY) manage.py load_demo
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  certprep is running at http://127.0.0.1:$(PORT)/"
	@echo "  Sign in as user 'demo' with password 'demo' (owner of the demo engagement)."
	@echo "  Stop with Ctrl+C. Data is kept in var/ between runs."
	@echo ""
	@mkdir -p var/log; $(PY) manage.py worker --no-reload >>var/log/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	echo "  The background worker (report builds, pid $$worker) logs to var/log/worker.log; it stops with the server."; \
	$(VENV)/bin/gunicorn config.wsgi --config config/gunicorn.py --bind 127.0.0.1:$(PORT)

# The optional reader of MS Project's .mpp files (MPXJ through JPype; it needs Java, Debian: default-jre-headless).
# `make run` installs it when Java is there; without it the plan's import page takes MS Project XML only.
.PHONY: mpp-support
$(VENV)/.mpp: $(VENV)/.runtime requirements-mpp.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-mpp.lock
	@touch $@

mpp-support: $(VENV)/.mpp
	@command -v java >/dev/null 2>&1 || echo "MPXJ is installed, but Java is missing: install a Java runtime (Debian: default-jre-headless) to read .mpp files."

# Debian packages the product needs to write its reports: Pango for PDF, Cairo for charts in Word, a CJK font.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-wqy-zenhei
system-run-deps:
	@missing=""; for p in $(RUN_DEBS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

# Debian packages the tests use besides those: Chromium for browser journeys, poppler-utils for reading PDFs,
# PostgreSQL for the second database run, gettext for message catalogues.
system-test-deps:
	@missing=""; for p in $(RUN_DEBS) chromium poppler-utils postgresql gettext default-jre-headless; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

# The whole suite, as CI runs it (.ci/run), in five legs: the linters; on SQLite every test but the browser
# journeys and the multi-process run (unit, API, database and schemathesis fuzzing), spread over every core
# (pytest-xdist, WORKERS=n to choose); the browser journeys, one at a time; the tests that touch the database
# (conftest.py marks them `database`) again on a throwaway PostgreSQL; then certprep as separate processes (two app
# servers and a worker over a throwaway PostgreSQL and an S3 server, tests/multiprocess).
PYTEST := DJANGO_SETTINGS_MODULE=config.settings_test $(PY) -m pytest -q
CORES := -n $(or $(WORKERS),auto)
test: system-test-deps test-venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PYTEST) -m "not browser and not multiprocess" $(CORES)
	$(PYTEST) -m browser
	DJANGO_SETTINGS_MODULE=config.settings_test scripts/with-postgres $(PY) -m pytest -q -m "database and not browser and not fuzz" $(CORES)
	$(PYTEST) -p no:xdist -m multiprocess tests/multiprocess

# The everyday loop: everything but the browser journeys, the fuzzing and PostgreSQL, on every core.
test-fast: test-venv
	$(PYTEST) -m "not browser and not fuzz and not multiprocess" $(CORES)

# Deeper schemathesis fuzzing than CI's (CERTPREP_FUZZ_EXAMPLES requests per operation, 25 in CI).
FUZZ_EXAMPLES ?= 200
fuzz: test-venv
	CERTPREP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PYTEST) -m fuzz

# Lay the code out and check it: the formatter, then the linters (what make test checks, less the tests).
lint: test-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Regenerate the locks after editing requirements*.in (needs the network to PyPI).
lock: test-venv
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile requirements.in --generate-hashes --python-version 3.12 -o requirements.lock
	$(VENV)/bin/uv pip compile requirements-test.in --generate-hashes --python-version 3.12 -o requirements-test.lock

# Update the message catalogues after changing user-facing strings, then translate locale/zh_Hans.
messages: venv
	$(PY) manage.py makemessages -l zh_Hans --ignore ".venv/*" --ignore "var/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore ".venv/*"

bench: test-venv
	$(PY) bench/run.py
