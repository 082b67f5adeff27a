# Koers — the commands a developer (and CI) needs. GNU make; on a fresh clone only python3 and make.
#
#   make demo          bootstrap, migrate, load the demo data and serve on http://127.0.0.1:8000 (PORT=...)
#   make test          bootstrap, then the whole test suite on every core (TEST_WORKERS=0: one process;
#                      browser tests need /usr/bin/chromium)
#   make test-postgres the same suite on a throwaway PostgreSQL server (bin/with-postgres; needs postgresql)
#   make lint          ruff check and the import contracts (lint-imports; pyproject.toml [tool.importlinter])
#   make check-deploy  Django's deployment checklist with production settings
#   make bench         benchmarks (bench/run.py); they print figures, they assert nothing
#   make lock          re-resolve requirements.lock after a change to pyproject.toml
#   make messages      after adding or changing a translatable text: update the catalogues (src/koers/locale) of
#                      every language and compile them (needs GNU gettext: apt-get install gettext)
#
# Every target first brings .venv up to date with requirements.lock (a no-op when nothing changed).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.koers-bootstrapped
PORT ?= 8000
WORKERS ?= 3
CHROMIUM ?= $(or $(KOERS_CHROMIUM),/usr/bin/chromium)
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (auto = one per core); TEST_WORKERS=0 runs the suite in one process.
# The workers share the tests by work stealing (`--dist worksteal` in pyproject.toml's addopts): a worker that
# runs out takes half of the other's queue, so a long test near the end does not leave a core idle.
TEST_WORKERS ?= auto

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv bootstrap demo serve test test-postgres lint format check-deploy bench lock lock-upgrade messages clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# --- Bootstrap ------------------------------------------------------------------------------------------
# The stamp is newer than the lock file and pyproject.toml once they are installed; touching either reinstalls.
venv bootstrap: $(STAMP)
	@:

$(BIN)/python:
	@echo "==> Maak $(VENV) met $$($(PYTHON) --version)"
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Koers heeft Python 3.11 of nieuwer nodig (PYTHON=$(PYTHON))." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "python3 -m venv mislukte; installeer python3-venv (Debian/Ubuntu)." >&2; exit 1; }

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	@echo "==> Installeer de vastgezette afhankelijkheden (requirements.lock)"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "requirements.lock past niet (meer) bij pyproject.toml: draai 'make lock'." >&2; exit 1; }
	@touch $@

# --- Demo -----------------------------------------------------------------------------------------------
# DEBUG stays off and whitenoise serves the collected static files, as in production.
demo serve: export KOERS_DEMO := 1
demo serve: export KOERS_DEBUG := 0

demo: $(STAMP)
	@echo "==> Database bijwerken"
	$(BIN)/koers migrate --noinput
	$(BIN)/koers collectstatic --noinput --verbosity 0
	@echo "==> Demogegevens laden"
	$(BIN)/koers demo
	$(GUNICORN)

# Only the server, for a database that `make demo` already prepared.
serve: $(STAMP)
	$(GUNICORN)

define GUNICORN
@echo "==> Koers draait op http://127.0.0.1:$(PORT)/ (log in met een demo-account hierboven; Ctrl+C stopt)"
exec $(BIN)/gunicorn koers.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
	--timeout 60 --graceful-timeout 5 --error-logfile - --log-level warning
endef

# --- Quality --------------------------------------------------------------------------------------------
test: $(STAMP)
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "==> Geen Chromium op $(CHROMIUM): de browsertests worden overgeslagen."; fi
	KOERS_TESTING=1 $(BIN)/pytest -rfEs -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	bash bin/with-postgres $(MAKE) test

lint: $(STAMP)
	$(BIN)/ruff check src $(wildcard bench)
	$(BIN)/lint-imports --no-cache pyproject.toml

format: $(STAMP)
	$(BIN)/ruff format src $(wildcard bench)

# A throwaway secret key of 86 random characters; nothing is stored.
check-deploy: $(STAMP)
	@echo "==> manage.py check --deploy met productie-instellingen"
	@env -u KOERS_DEMO -u KOERS_DEBUG -u KOERS_TESTING -u KOERS_HTTPS \
		KOERS_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		KOERS_ALLOWED_HOSTS=koers.example.nl \
		$(BIN)/koers check --deploy --fail-level WARNING

bench: $(STAMP)
	$(BIN)/python bench/run.py

# --- Translations ---------------------------------------------------------------------------------------
# The catalogues live in src/koers/locale/<code>/LC_MESSAGES/django.po; the compiled .mo files are committed
# next to them, so `make demo` needs no gettext tools (a test fails when a .mo is stale). Dutch is the source.
# Extraction skips tests, synthetic data and the test plugins; the locations are file names only (no line
# numbers), so a change elsewhere in a file does not touch the catalogues. New texts arrive untranslated: write
# the translation and mark it `# needs-review` (docs/architecture.md, "Translations").
MESSAGE_LANGUAGES := en ar ti uk fa
KOERS_IN_SRC = cd src/koers && KOERS_DEBUG=1 PYTHONPATH=$(CURDIR)/src $(abspath $(BIN))/python -m koers

messages: $(STAMP)
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null \
		|| { echo "make messages heeft GNU gettext nodig (apt-get install gettext)." >&2; exit 1; }
	$(KOERS_IN_SRC) makemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) --add-location=file --no-obsolete \
		--ignore='*/tests/*' --ignore='synthetic/*' --ignore='static/*' --ignore=conftest.py \
		--ignore=browser_testing.py
	$(KOERS_IN_SRC) compilemessages $(addprefix -l ,$(MESSAGE_LANGUAGES))
	$(KOERS_IN_SRC) check_translations

# --- Dependencies ---------------------------------------------------------------------------------------
# Ranges live in pyproject.toml; requirements.lock pins every package (runtime and the dev extra).
PIP_COMPILE := $(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	--no-emit-find-links --output-file requirements.lock pyproject.toml

$(BIN)/pip-compile: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4'

lock: $(BIN)/pip-compile
	$(PIP_COMPILE)

lock-upgrade: $(BIN)/pip-compile
	$(PIP_COMPILE) --upgrade

clean:
	rm -rf $(VENV) src/*.egg-info .pytest_cache .ruff_cache
