# The commands a person types. Each one sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
STATE ?= emulator-state.json

.PHONY: serve test matrix lint bench conformance dist screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamp files: reinstall only when the packaging metadata changes. An editable install writes no
# bytecode (a wheel install does), and with PYTHONDONTWRITEBYTECODE set nothing ever would: compile
# the package once so `serve` starts without compiling it (Python recompiles any file edited since).
$(VENV)/.installed: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m compileall -q emulator
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The dashboard tests drive the system's Chromium through Playwright (never a downloaded browser).
$(VENV)/.chromium: $(BIN)/python
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	touch $@

serve: $(VENV)/.installed
	$(BIN)/dataset-emulator serve --host $(HOST) --port $(PORT) --state $(STATE)

test: $(VENV)/.installed-test $(VENV)/.chromium
	$(BIN)/ruff check emulator tests bench
	$(BIN)/python -m pytest -n 2 -q

# The dependency matrix (noxfile.py): the whole suite on the lowest and on the newest versions that
# setup.cfg allows, each in a fresh environment under .nox/ (nox itself lives in .venv). CI runs it
# after `make test`.
$(VENV)/.installed-matrix: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[matrix]'
	touch $@

matrix: $(VENV)/.installed-matrix $(VENV)/.chromium
	$(BIN)/python -m nox

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

# The peers the benchmark compares with that are not Python: Prism and WireMock's standalone jar from the
# npm registry into .bench-tools/ (ignored by git), on Debian's Node.js and Java when they are missing.
# A step that fails leaves that peer out; the bench says so and measures the rest.
BENCH_TOOLS := .bench-tools
PRISM_VERSION := 5.14.2
WIREMOCK_VERSION := 3.13.2
$(BENCH_TOOLS)/.installed:
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm openjdk-17-jre-headless \
			>/dev/null) || echo "bench: could not install Node.js/Java; Prism or WireMock will not be measured"
	npm install --prefix $(BENCH_TOOLS) --no-save --no-audit --no-fund --loglevel=error \
		@stoplight/prism-cli@$(PRISM_VERSION) wiremock@$(WIREMOCK_VERSION) && touch $@ || \
		echo "bench: npm could not install Prism/WireMock; they will not be measured"

# Benchmarks print and record (BENCHMARKS.md); they never fail on a number. `make bench QUICK=1`: a shorter run.
bench: $(VENV)/.installed-bench $(BENCH_TOOLS)/.installed
	$(BIN)/python -m compileall -q emulator
	BENCH_QUICK=$(QUICK) $(BIN)/python -m bench

# A real CKAN 2.11.5 (PyPI and Debian packages) on loopback, compared with the emulator on every CKAN
# scenario; stops all it started. Run as root; a few minutes (the first run also builds CKAN's venv).
conformance: $(VENV)/.installed
	conformance/ckan/run.sh $(BIN)/dataset-emulator $(CONFORMANCE_JSON)

# The README's picture of the dashboard, taken by its browser test (the test run itself writes to a temporary folder).
screenshot: $(VENV)/.installed-test $(VENV)/.chromium
	DASHBOARD_SCREENSHOT=docs/dashboard.png $(BIN)/python -m pytest -q -p no:xdist tests/test_dashboard.py \
		-k test_dataset_created_by_a_real_client_shows_up_live

# An sdist and a wheel in dist/, checked as an index would check them.
dist: $(VENV)/.installed-test
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	$(BIN)/twine check --strict dist/*

lint: $(VENV)/.installed-test
	$(BIN)/ruff check emulator tests bench

clean:
	rm -rf $(VENV) .nox build dist *.egg-info
