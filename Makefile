# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo/newsprism.db
DEMO_SITE ?= demo/site
DEMO_INPUT := data/demo data/multiling2011/sources
# Google News headlines of 10-12 March 2014 (UCI News Aggregator, CC BY 4.0): many outlets on the same events
DEMO_HEADLINES := data/uci-news-aggregator/headlines.jsonl

.PHONY: demo test lint typecheck install install-test browser clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip setuptools wheel

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Debian's chromium for the browser tests; Playwright drives it, never downloads a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: install Debian's chromium package (browser tests will be skipped)"; fi; }

demo: install
	mkdir -p demo
	$(BIN)/newsprism ingest $(DEMO_INPUT) --db $(DEMO_DB)
	$(BIN)/newsprism ingest $(DEMO_HEADLINES) --config data/uci-news-aggregator/headlines.toml --db $(DEMO_DB)
	$(BIN)/newsprism build --db $(DEMO_DB)
	$(BIN)/newsprism site $(DEMO_SITE) --db $(DEMO_DB)
	@echo "Site written to $(abspath $(DEMO_SITE))/index.html ; run '$(BIN)/newsprism serve --db $(DEMO_DB)' to browse it live."

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: install-test browser
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadfile

bench: install-test
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/cluster.py

clean:
	rm -rf demo .pytest_cache .mypy_cache
