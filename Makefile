# sendadmin developer commands. `make run` for the embedded app, `make test` for CI.
# DATABASE_URL and REDIS_URL pass through from the environment.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
WEASYPRINT_LIBS := libpango-1.0-0 libpangoft2-1.0-0
ADDR ?= 127.0.0.1:8000
# A hung test (a browser wait with no timeout) must fail CI, not stall it; SIGINT lets pytest
# print where it was stuck.
PYTEST_TIMEOUT ?= 1800

.PHONY: help run test lint fmt assets clean system-libs bench

help:
	@echo "make run     migrate, seed demo data, serve on http://$(ADDR)/ with a worker and beat"
	@echo "make test    CI: system packages, PostgreSQL, Redis, ruff, mypy, pytest"
	@echo "make lint    ruff check, ruff format --check, mypy"
	@echo "make fmt     ruff format and ruff check --fix"
	@echo "make assets  rebuild static/ from the pinned npm packages"
	@echo "make clean   remove var/ (SQLite database, broker, cache, logs)"
	@echo "make bench   every benchmark of benchmarks/RESULTS.md on PostgreSQL and Redis (BENCH_FRACTION=0.1 for a quick look)"

# Reinstall only when pyproject.toml changes; the stamp keeps re-runs fast.
$(STAMP): pyproject.toml
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	@touch $@

system-libs:
	@missing=""; for pkg in $(WEASYPRINT_LIBS); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "Installing WeasyPrint libraries:$$missing"; \
	  $$sudo apt-get update -q && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

run: $(STAMP) system-libs
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) serve --addr $(ADDR)

test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sendadmin
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
# Every check runs even after one fails, so one run reports them all; the exit status is still
# non-zero if any failed (pytest's 5, "no tests collected", counts as a failure).
test:
	bash .ci/setup.sh
	@failed=""; \
	echo "--- ruff check"; $(BIN)/ruff check . || failed="$$failed ruff-check"; \
	echo "--- ruff format --check"; $(BIN)/ruff format --check . || failed="$$failed ruff-format"; \
	echo "--- mypy"; $(BIN)/mypy . || failed="$$failed mypy"; \
	echo "--- pytest"; timeout -s INT -k 60 $(PYTEST_TIMEOUT) $(BIN)/pytest -p no:cacheprovider \
	  || failed="$$failed pytest"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

assets:
	bash static/build/build.sh

clean:
	rm -rf var/

# Scratch databases named after DATABASE_URL's (default sendadmin_bench): _run, _county, _national.
bench: $(STAMP) system-libs
	bash benchmarks/bench.sh
