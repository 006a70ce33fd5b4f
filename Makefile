# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := alsblog.settings

.PHONY: run reset-demo fleet test test-fast install lint hooks mutate bench bench-smoke bench-wordpress lock clean lighthouse lighthouse-install
PY_FILES = $(shell find alsblog core deploy pagecache articles pages comments outbox subscriptions wordpress demo tests bench manage.py gunicorn.conf.py -name '*.py')

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the locked versions change.
$(VENV)/.installed: requirements.lock requirements-test.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-r requirements.lock -r requirements-test.lock
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/), with the"
	@echo "background worker that sends email (printed here). Stop both with Ctrl+C."
	@DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py db_worker --queue-name '*' --interval 0.2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Start the demo afresh: its database and uploads are deleted, then made again as on a first
# `make run`. Only the demo's own files (db.sqlite3, media/) are touched.
reset-demo: install
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	rm -rf media
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py load_demo
	@echo "The demo is as new: start it with make run."

# Several servers on one machine (docs/operators.md, "Several servers"): PostgreSQL and Redis
# (the local ones), two app servers on 8001 and 8002, a worker, Varnish on 8080 in front.
fleet: install
	$(BIN)/python deploy/fleet.py

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own test database,
# live server and browser: about 7 minutes on two cores; test-fast leaves out the browser
# tests: under 2 minutes.
TEST_WORKERS ?= auto
test: install
	@bash .ci/ensure-chromium
	$(BIN)/pytest -n $(TEST_WORKERS)

test-fast: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"

# The same checks as .pre-commit-config.yaml, without changing any file.
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/django-upgrade --target-version 5.2 --check $(PY_FILES)
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

# Run the lint checks before each commit (pre-commit, with the tools of .venv).
hooks: install
	$(BIN)/pre-commit install

# Mutation testing of the page cache and comments' moderation and screening: docs/developers.md.
mutate: install
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut results

# The benchmark (docs/developers.md, "Performance"): about 30 minutes.
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/wordpress.py

# A few seconds of the same, for CI: fails on any error or lost comment.
bench-smoke: install
	$(BIN)/python bench/run.py --smoke

# Comment posting against WordPress 6.1 (Debian's package, Apache on 127.0.0.1:8081, MariaDB),
# alternating runs in one go; not part of `make bench`. Needs root: it installs and sets up
# WordPress with bench/wordpress_server.sh. See bench/compare_wordpress.py.
bench-wordpress: install
	$(BIN)/python bench/compare_wordpress.py

# Lighthouse's accessibility audit of the article page (docs/developers.md, "Accessibility"), from
# the version pinned in .tools/lighthouse/package-lock.json. Fails below 100. On a running site:
# `make lighthouse URL=http://127.0.0.1:8000/articles/some-slug/`.
LIGHTHOUSE_DIR := .tools/lighthouse
NPM_FLAGS ?= --no-audit --no-fund --loglevel=error
$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package.json $(LIGHTHOUSE_DIR)/package-lock.json
	npm ci --prefix $(LIGHTHOUSE_DIR) $(NPM_FLAGS)
	touch $@

lighthouse-install: $(LIGHTHOUSE_DIR)/node_modules/.installed

lighthouse: install lighthouse-install
	@bash .ci/ensure-chromium
ifdef URL
	$(BIN)/python -m tests.lighthouse $(URL)
else
	LIGHTHOUSE_REQUIRED=1 $(BIN)/pytest tests/browser/test_lighthouse.py -rs
endif

# Pin every package, direct and indirect, so installs a month apart get the same versions.
lock:
	rm -rf /tmp/alsblog-lock && $(PYTHON) -m venv /tmp/alsblog-lock
	/tmp/alsblog-lock/bin/pip install --quiet --disable-pip-version-check .
	/tmp/alsblog-lock/bin/pip freeze --exclude-editable | grep -iv '^alsblog' > requirements.lock
	/tmp/alsblog-lock/bin/pip install --quiet --disable-pip-version-check '.[test]'
	/tmp/alsblog-lock/bin/pip freeze --exclude-editable | grep -iv '^alsblog' \
		| grep -vxFf requirements.lock > requirements-test.lock
	rm -rf /tmp/alsblog-lock

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache $(LIGHTHOUSE_DIR)/node_modules
