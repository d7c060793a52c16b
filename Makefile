# Two commands do everything on a fresh machine with Python 3.11+:
#   make serve   install into .venv and serve the site at http://127.0.0.1:8000
#   make test    install test needs into .venv and run every test and check
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements-lock.txt
# Reproducible builds: "now" is the last commit's time unless the caller sets it.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-test serve build check new lint test bench stress-browser lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs run again only when what they install from changes (the package is editable, so
# code edits need none): `make check` costs a check, not a reinstall.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[test]"
	touch $@ $(VENV)/.installed

# axe-core for the accessibility tests, pinned by tests/a11y/package-lock.json. Without npm those
# tests are skipped locally (CI installs npm and requires them).
A11Y := tests/a11y
$(A11Y)/node_modules/.installed: $(A11Y)/package.json $(A11Y)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd $(A11Y) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the accessibility tests will be skipped (apt-get install nodejs npm)"; fi

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(A11Y)/node_modules/.installed

serve: install
	$(BIN)/mkdocs serve --dirty  # after an edit, only the pages it changes are rebuilt

build: install
	$(BIN)/mkdocs build --strict

check: install
	$(BIN)/timeline check

# Asks for a title, date, kind… and writes events/<year>/<id>.yaml with every field commented.
new: install
	$(BIN)/timeline new event --interactive

lint: install-test
	$(BIN)/ruff check plugins tests
	$(BIN)/ruff format --check plugins tests
	$(BIN)/mypy

test: install-test lint
	$(BIN)/python -m pytest

# Issue 11's five performance goals at each size, against a plain Material build of the same
# pages, as a table with PASS/FAIL (tens of minutes at 10,000; needs Chromium for the search).
# Override: make bench BENCH_SIZES="1000" BENCH_FLAGS="--quick --skip serve"
BENCH_SIZES ?= 1000 4000 10000
BENCH_FLAGS ?=
bench: install-test
	$(BIN)/python tests/benchmarks/build_bench.py $(BENCH_SIZES) $(BENCH_FLAGS)

# Every browser test 20 times with the CPU kept busy: proof that none of them flakes.
stress-browser: install-test
	PYTHON=$(BIN)/python tests/benchmarks/browser_stress.sh

# Pins every dependency at its newest allowed version, from a fresh environment.
lock: $(BIN)/python
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e ".[test]"
	{ sed -n '1,2p' $(LOCK); .lock-venv/bin/pip freeze --exclude-editable; } > $(LOCK).new && mv $(LOCK).new $(LOCK)
	rm -rf .lock-venv

clean:
	rm -rf site $(VENV) $(A11Y)/node_modules
