# Flipside: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi

.PHONY: bench serve run test test-postgres lint format install install-test db clean screenshots browser \
	audit lock oidc-dev
LOCK    = requirements.lock
FLIPSIDE_PORT ?= 5000

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every install takes the versions pinned in requirements.lock: what is tested is what is audited.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/activate
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[test]"
	touch $@

# The browser audit's second engine (HTML_CodeSniffer), pinned in package-lock.json. Without
# npm the browser tests say what is missing (they need Chromium too; see `make browser`).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser audit needs it for HTML_CodeSniffer (apt-get install npm)"; fi

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

db: install
	FLIPSIDE_ENV=development $(BIN)/flask init-db
	FLIPSIDE_ENV=development $(BIN)/flask seed-demo

# The worker (reminders, digests, email: .eml files in instance/outbox/ without MAIL_SERVER)
# runs beside the development server and stops with it.
run: db  ## set everything up and serve on http://127.0.0.1:$(FLIPSIDE_PORT) (5000 unless set)
	export FLIPSIDE_ENV=development FLIPSIDE_BASE_URL=$${FLIPSIDE_BASE_URL:-http://127.0.0.1:$(FLIPSIDE_PORT)}; \
	$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(FLIPSIDE_PORT)

# The tests' OpenID provider (tests/oidc/provider.mjs), to try single sign-on with `make run`
# (README: "Trying it on your machine"). In memory, throwaway keys: never for real sign-ins.
OIDC_PORT ?= 5556
oidc-dev: node_modules/.installed  ## a local OpenID provider on http://127.0.0.1:$(OIDC_PORT)
	node tests/oidc/provider.mjs --port $(OIDC_PORT) \
		--redirect-uri http://127.0.0.1:$(FLIPSIDE_PORT)/auth/sso/callback \
		--redirect-uri http://localhost:$(FLIPSIDE_PORT)/auth/sso/callback

$(VENV)/.installed-serve: pyproject.toml $(LOCK) $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[serve,postgres]"
	touch $@

serve: $(VENV)/.installed-serve  ## production server: gunicorn with gunicorn.conf.py (set SECRET_KEY, DATABASE_URL)
	$(BIN)/flask init-db
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

bench: $(VENV)/.installed-serve  ## load-test a large data set with wrk; writes docs/benchmarks.md
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py

test: install-test  ## the whole suite (set TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install-test
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: install-test  ## narrow and wide pictures of the main pages into docs/screenshots/
	$(BIN)/python -m tests.browser.screenshots

browser:  ## install Debian's Chromium for the browser tests (needs root)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lock:  ## re-pin requirements.lock to the newest versions pyproject.toml allows
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e ".[test,serve,postgres]"
	{ echo "# Pinned by 'make lock' from pyproject.toml (all extras). make install uses it as constraints."; \
	  .venv-lock/bin/pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .venv-lock

.venv-audit/bin/pip-audit:
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet "pip-audit>=2.7"

audit: .venv-audit/bin/pip-audit  ## known vulnerabilities in requirements.lock (pip-audit)
	.venv-audit/bin/python .ci/audit.py $(LOCK)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .venv-audit .venv-lock instance/*.db* .pytest_cache
