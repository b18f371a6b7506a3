# attgraph: one command per task. Needs only python3 (>= 3.11) and make; everything else is installed here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test check build ingest bench bench-cache bench-search soak system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $@ $(VENV)/.installed

## serve: install, build the graph (stops on any load or validation error), serve it on http://$(HOST):$(PORT)
serve: $(VENV)/.installed
	$(BIN)/attgraph build
	$(BIN)/attgraph serve --host $(HOST) --port $(PORT)

## test: install with the test extras and the system packages the tests need, run the whole suite
test: $(VENV)/.installed-test system-deps
	$(BIN)/pytest

## check: lint and type-check
check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench examples
	$(BIN)/mypy

build: $(VENV)/.installed
	$(BIN)/attgraph build

ingest: $(VENV)/.installed
	$(BIN)/attgraph ingest

## bench: the benchmark at scale SCALE (1, 10 or 100; default 10); tables in bench/README.md with WRITE=1
SCALE ?= 10
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --scale $(SCALE) $(if $(WRITE),--write)

## bench-cache: repeated requests (the answer cache, nginx in front, the raw Oxigraph server, the baseline)
bench-cache: $(VENV)/.installed-test
	$(BIN)/python bench/cache.py --scale $(SCALE)

## bench-search: search precision at 5 on bench/search_queries.tsv, before and after, and what each index costs
bench-search: $(VENV)/.installed-test
	$(BIN)/python bench/search.py

## soak: every attack at once for 60 s beside a well-behaved client (bench/soak.py)
soak: $(VENV)/.installed-test
	$(BIN)/python bench/soak.py

## system-deps: Java for the HermiT reasoner, Chromium for the browser test (Debian packages)
system-deps:
	@sh scripts/system-deps.sh

clean:
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache
