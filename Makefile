# The two commands: `make run` (the whole system, embedded defaults) and `make test` (the whole suite).
# `make test-fast` is the edit-test loop: everything but browser, smoke, slow and fault tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench install migrate seed clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python -m config.var_dir
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  Site:        http://127.0.0.1:8000/articles/"
	@echo "  Admin:       http://127.0.0.1:8000/admin/   (demo logins printed above)"
	@echo "  API docs:    http://127.0.0.1:8000/api/docs/"
	@echo "  Health:      http://127.0.0.1:8000/healthz"
	@echo "  Ctrl-C stops the web server, the worker and beat."
	@echo ""
	$(BIN)/python -m config.procfile Procfile

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not smoke and not slow and not faults" $(PYTEST_ARGS)

# ruff, mypy and the apps' import layers as configured in pyproject.toml (.ci/run runs this before the tests).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
