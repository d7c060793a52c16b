# Two commands do everything on a fresh machine with Python 3.11+:
#   make serve   install into .venv and serve the site at http://127.0.0.1:8000
#   make test    install test needs into .venv and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reproducible builds: "now" is the last commit's time unless the caller sets it.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-test serve build check test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"

serve: install
	$(BIN)/mkdocs serve

build: install
	$(BIN)/mkdocs build --strict

check: install
	$(BIN)/timeline check

test: install-test
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python tests/benchmarks/build_bench.py 200 1000 4000

clean:
	rm -rf site $(VENV)
