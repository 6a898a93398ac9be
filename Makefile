# The two commands of the README are the contract: `make serve` and `make test` bootstrap their
# own virtualenv on a fresh machine that has nothing but Python and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8765
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= auto
JS_CLIENTS := tests/clients/js
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: serve test lint fmt bench steps rules report bdd mutants test-clients clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(PY) -m mock_salesforce serve --host $(HOST) --port $(PORT) $(SERVE_ARGS)

test: $(STAMP)
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The real-client suites (simple-salesforce, jsforce) alone. With npm on the machine the jsforce
# project's locked dependencies are installed first; without it the jsforce test says why it skips.
test-clients: $(STAMP) $(if $(NPM),$(JS_CLIENTS)/node_modules/.installed)
	$(PY) -m pytest tests/clients -n $(PYTEST_WORKERS) -rs $(PYTEST_ARGS)

$(JS_CLIENTS)/node_modules/.installed: $(JS_CLIENTS)/package-lock.json
	cd $(JS_CLIENTS) && npm ci --no-audit --no-fund
	touch $@

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# What lint asks for, done: format, then the fixable checks.
fmt: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench $(BENCH_ARGS)

steps: $(STAMP)
	$(PY) -m tests.bdd.catalogue

rules: $(STAMP)
	$(PY) -m tests.bdd.rules

report: $(STAMP)
	mkdir -p reports
	$(PY) -m pytest tests/bdd -p no:xdist --cucumberjson=reports/cucumber.json --junitxml=reports/junit.xml

# Rule mutants (docs/rules.md): break one rule at a time in a scratch copy; every one must be
# caught by a scenario. MUTANTS=S-06 (rule ids or mutant names) runs a part.
mutants: $(STAMP)
	$(PY) -m tests.mutants $(MUTANTS)

bdd: $(STAMP)
	$(PY) -m pytest tests/bdd -p no:xdist --gherkin-terminal-reporter -v

clean:
	rm -rf $(VENV) reports .mypy_cache .ruff_cache
