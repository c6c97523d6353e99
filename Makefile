# anshin-lab: `make demo` runs the main job, `make test` runs every test.
# Both set everything up themselves on a fresh machine (venv, packages, workspace).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup system workspace demo test test-fast fuzz layers lab lock clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

system: ## install the Debian packages in system-packages.txt (as root) or say which are missing
	@scripts/install-system-packages

$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: system $(INSTALLED) ## create .venv and install the locked dependencies

workspace: setup ## build the default workspace under data/ if parts are missing
	$(BIN)/anshin init

demo: workspace ## run the main job end to end on the default workspace
	$(BIN)/anshin demo

# Test processes (pytest-xdist): one per core of the 2-core machines CI runs on; a file's tests stay in one process,
# which builds that file's fixtures once, and the files that read the demo's workspace share one (tests/conftest.py).
# TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
TEST_ARGS = -n $(TEST_WORKERS) --dist loadfile

test: workspace layers ## run the whole test suite (the layers contract first), in TEST_WORKERS processes
	$(BIN)/python -m pytest $(TEST_ARGS) --durations=20

test-fast: workspace layers ## the quick loop: every test not marked slow
	$(BIN)/python -m pytest $(TEST_ARGS) -m "not slow"

# How many examples each of the lint's property tests draws under `make fuzz`.
FUZZ_EXAMPLES ?= 2000

fuzz: workspace ## the property tests with fresh random examples, many of them (the lint's: FUZZ_EXAMPLES each)
	HYPOTHESIS_PROFILE=fuzz LINT_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest $(TEST_ARGS) -m "not slow" \
		$$(grep -l 'given(' tests/test_*.py)

layers: setup ## check the import-linter contract of the package's floors (ARCHITECTURE.md)
	$(BIN)/lint-imports --no-cache

# Extra options for `make lab` (e.g. LAB_ARGS="--no-browser --port=8890").
LAB_ARGS ?=
# Never in JupyterLab's environment, so never in a kernel's: log in with the notebooks' login form instead.
LAB_HIDDEN := ANSHIN_PASSWORD ANSHIN_SMTP_PASSWORD ANSHIN_SESSION

lab: workspace ## open JupyterLab on notebooks/ (log in inside the notebooks; as root it adds --allow-root)
	env $(addprefix -u ,$(LAB_HIDDEN)) $(BIN)/jupyter lab --ServerApp.root_dir=notebooks \
		$$(test "$$(id -u)" -eq 0 && echo --allow-root) $(LAB_ARGS)

lock: ## re-resolve pyproject.toml's pins into requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@echo '# Every package of the environment, pinned. Regenerate with `make lock` after changing pyproject.toml.' > requirements.lock
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' >> requirements.lock

clean: ## remove the generated workspace parts (keeps data/reference)
	rm -rf data/anshin.sqlite* data/layers data/sample data/quarantine data/internal data/maildir data/demo-credentials.json data/secrets data/audit data/run reports/*.html reports/public reports/circulars
