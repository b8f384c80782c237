# Boostcamp — `make run` serves the demo, `make test` runs every test.
# Needs only Python 3.11+ and make: everything else is installed into .venv.

PYTHON ?= python3
PORT ?= 5000
TEST_PROCESSES ?= 3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TRANSLATIONS := boostcamp/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

.PHONY: run test setup db translations extract-messages bench clean help

help:
	@echo "make run    set up, migrate, seed the demo, serve on http://127.0.0.1:$(PORT) with a mail worker"
	@echo "make test   set up and run every test"

# The web server and one mail worker together; Ctrl-C stops both (the worker finishes the
# mail it is sending). The worker has no request to take the host from: it gets the port here.
run: setup db
	@trap 'kill $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	FLASK_SERVER_NAME=$${FLASK_SERVER_NAME:-127.0.0.1:$(PORT)} $(FLASK) mail work & worker=$$!; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Three processes (xdist) on two cores: the suite also waits on PostgreSQL, SMTP, gunicorn and
# Chromium (measured on this 2-core machine: 7 min 20 s with 2, 6 min 37 s with 3, 7 min 9 s
# with 4; after this round's cuts, which left the cores 98 % busy, 5 min 9 s with 3 and 5 min
# 2 s with 4, within the run-to-run spread; later 4 min 31 s – 6 min 19 s with 3). Each
# process has its own databases; a file's tests stay together, and the gunicorn-served files
# share one process (tests/conftest.py, SERVED_TOGETHER).
# PYTHONDONTWRITEBYTECODE (set on some machines) would make every process rewrite pytest's
# asserts in the plugins again: about 5 s of CPU per process.
test: setup
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

setup: $(VENV)/.installed translations

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -d $(TRANSLATIONS) -l $* 2>&1 | grep -v '^compiling' || true

# Migrations, then the demo data into an empty database only.
db: setup
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty

# After changing user-facing strings: refresh the catalogues, then translate the new entries.
extract-messages: setup
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs='.* node_modules .venv' -k _l -k N_ --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

# Every benchmark on SQLite and on PostgreSQL (BENCH_DATABASE_URL= make bench: SQLite only),
# then every target of issue 16 with this run's figure and pass or FAIL (bench/report.py).
bench: setup
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(TRANSLATIONS)/*/LC_MESSAGES/*.mo
