# The two commands of the README are the contract: `make serve` and `make test` bootstrap their
# own virtualenv on a fresh machine that has nothing but Python and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8765
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
SERVE_STAMP := $(VENV)/.serve-installed
IMAGE ?= mock-salesforce:dev
CONTAINER := $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)
PYTEST_WORKERS ?= auto
JS_CLIENTS := tests/clients/js
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: serve test lint fmt bench steps rules report bdd mutants test-clients test-package image image-test clean fuzz

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

# Serving needs the package and its runtime dependencies only (no test or lint tools).
$(SERVE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(SERVE_STAMP)

serve: $(SERVE_STAMP)
	$(PY) -m mock_salesforce serve --host $(HOST) --port $(PORT) $(SERVE_ARGS)

test: $(STAMP)
	$(PY) -m pytest -n $(PYTEST_WORKERS) -rs $(PYTEST_ARGS)

# The real-client suites (simple-salesforce, jsforce, django-salesforce, aiosalesforce) alone. With npm on the machine the jsforce
# project's locked dependencies are installed first; without it the jsforce test says why it skips.
test-clients: $(STAMP) $(if $(NPM),$(JS_CLIENTS)/node_modules/.installed)
	$(PY) -m pytest tests/clients -n $(PYTEST_WORKERS) -rs $(PYTEST_ARGS)

# A fresh project in a temporary folder: a new virtualenv, `pip install` of this repository and
# simple-salesforce, then the README's example and a test of each fixture kind (docs/packaging.md).
test-package: $(STAMP)
	MOCK_SALESFORCE_PACKAGE_TEST=1 $(PY) -m pytest tests/package -p no:xdist -rs $(PYTEST_ARGS)

# The container image (Dockerfile) and its smoke test: it starts and answers its health check.
# Needs a working docker or podman and access to the base image; says why when it cannot run.
image:
	$(if $(CONTAINER),$(CONTAINER) build -t $(IMAGE) .,@echo "no docker or podman on this machine" >&2; exit 1)

image-test: image
	.ci/container-smoke $(CONTAINER) $(IMAGE)

$(JS_CLIENTS)/node_modules/.installed: $(JS_CLIENTS)/package-lock.json
	cd $(JS_CLIENTS) && npm ci --no-audit --no-fund
	touch $@

# A long seeded fuzz run over HTTP against a live server on loopback (tests/fuzz/runner.py):
# fails on any 5xx (SOAP faults excepted), HTML where JSON is expected, or a slow answer.
FUZZ_REQUESTS ?= 20000
FUZZ_SEED ?= 1
fuzz: $(STAMP)
	$(PY) -m tests.fuzz.runner --requests $(FUZZ_REQUESTS) --seed $(FUZZ_SEED) $(FUZZ_ARGS)

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

# The behaviour suite alone. FEATURE=features/push (a file or folder) and TAGS='@S-06 and not
# @wip' (a tag expression) pick part of it; `bdd` prints every step with its outcome.
BDD_SCENARIOS := tests/bdd/test_features.py
BDD_SELECT = $(if $(FEATURE),--bdd-feature=$(FEATURE)) $(if $(TAGS),-m "$(subst @,,$(TAGS))")

# reports/behaviour.html is written even when a scenario fails (that is when it is read most);
# the target still fails with pytest's status.
report: $(STAMP)
	mkdir -p reports
	status=0; $(PY) -m pytest $(BDD_SCENARIOS) -n $(PYTEST_WORKERS) $(BDD_SELECT) \
		--cucumberjson=reports/cucumber.json --junitxml=reports/junit.xml || status=$$?; \
	$(PY) -m tests.bdd.behaviour_report && exit $$status

# Rule mutants (docs/rules.md): break one rule at a time in a scratch copy; every one must be
# caught by a scenario. MUTANTS=S-06 (rule ids or mutant names) runs a part.
mutants: $(STAMP)
	$(PY) -m tests.mutants $(MUTANTS)

bdd: $(STAMP)
	$(PY) -m pytest $(BDD_SCENARIOS) -p no:xdist -q --bdd-steps $(BDD_SELECT)

clean:
	rm -rf $(VENV) reports .mypy_cache .ruff_cache
