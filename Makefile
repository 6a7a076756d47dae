# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app registration
HOST   ?= 127.0.0.1
PORT   ?= 5000

# Translation catalogues, one per area of the app, so that areas can grow independently.
CATALOGUES := $(wildcard registration/translations registration/*/translations)

.PHONY: run test lint translations i18n-extract clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	@for dir in $(CATALOGUES); do $(BIN)/pybabel compile --statistics -d $$dir || exit 1; done

# Links in emails and calendar files point at the address this serves (unless set already).
run: export FLASK_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev translations
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .

# Re-extract the strings of every area and merge them into its catalogues (run after editing
# user-visible text, then translate the new entries in the .po files).
i18n-extract: $(VENV)/.installed
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# --- Production -------------------------------------------------------------------------
# gunicorn with deploy/gunicorn.conf.py: workers from the number of cores, one log line per
# request, and a graceful reload (`make reload`, or `systemctl reload registration-web`
# under systemd). Behind nginx with HTTPS: README.md, "Going live".
SERVE_BIND ?= 127.0.0.1:8000
SERVE_PID  := instance/gunicorn.pid

.PHONY: serve reload
serve: translations
	$(FLASK) db upgrade
	REGISTRATION_BIND=$(SERVE_BIND) $(BIN)/gunicorn --config deploy/gunicorn.conf.py --pid $(SERVE_PID) wsgi:app

reload:
	kill -HUP $$(cat $(SERVE_PID))
