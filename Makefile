# make run    set everything up and serve the demo site as readers get it (gunicorn, DEBUG off)
#             on http://127.0.0.1:8000, with the task worker (renditions, e-mails, SEO scores) beside it
# make dev    the same demo for developers: DEBUG on, runserver reloading on every change
# make serve  the same site as in production (gunicorn, DEBUG off, the worker), on http://127.0.0.1:8000
# make test   set everything up and run the whole test suite
# make messages  update the translation catalogues (locale/) from the code and templates
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup run dev serve test lint format browser-test clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# A local .env with a fresh secret key and debug on, for manage.py and make dev;
# real environment variables win, so make run and make serve turn debug off.
.env:
	printf 'DJANGO_DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

# The catalogues are compiled here, never committed (.gitignore): one .mo per .po.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGUES:.po=.mo)
# Everything but the code and templates of the site stays out of the catalogues.
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=media --ignore=build
# No source locations: a catalogue changes only when the words do
# (tests/test_i18n.py checks that this leaves it unchanged).
MESSAGES_FLAGS := --no-location --no-obsolete --no-wrap $(MESSAGES_IGNORE)

$(COMPILED): %.mo: %.po $(STAMP)
	$(BIN)/python manage.py compilemessages --verbosity 0 $(MESSAGES_IGNORE)

setup: $(STAMP) .env $(COMPILED)

# Every catalogue in locale/; a new language once with: make messages LOCALE=de
messages: $(STAMP) .env
	$(BIN)/python manage.py makemessages $(if $(LOCALE),--locale $(LOCALE),--all) $(MESSAGES_FLAGS)

# The server and the task worker run as one command (config/processes.py):
# Ctrl+C or SIGTERM stops both, and either ending stops the other. The
# worker does not reload on code changes: a reload would cut a task short.
# Both share the default file cache (config/settings.py), so that the
# content version the worker moves reaches the server's pages.
WORKER := $(BIN)/python manage.py db_worker --no-reload

# Production settings, but plain HTTP on loopback: TLS belongs to the proxy in
# front (deploy/nginx.conf). The defaults stay strict, so this is said here.
SERVE_ENV := DJANGO_DEBUG=false SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

# What readers get, whatever an older .env says about DJANGO_DEBUG: the
# designed 404 and 500 pages, and the static files whitenoise serves.
run: setup
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py load_demo
	$(SERVE_ENV) exec $(BIN)/python -m config.processes \
		"$(BIN)/gunicorn --config config/gunicorn.py config.wsgi" "$(WORKER)"

dev: setup
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=true exec $(BIN)/python -m config.processes \
		"$(BIN)/python manage.py runserver 127.0.0.1:8000" "$(WORKER)"

serve: setup
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) exec $(BIN)/python -m config.processes \
		"$(BIN)/gunicorn --config config/gunicorn.py config.wsgi" "$(WORKER)"

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@if [ -x "$(CHROMIUM)" ]; then \
		$(BIN)/pytest; \
	else \
		echo "Chromium is not installed at $(CHROMIUM): the browser tests are SKIPPED (apt-get install chromium to run them)."; \
		$(BIN)/pytest -m "not browser"; \
	fi

browser-test: setup
	$(BIN)/pytest -m browser

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .cache .pytest_cache .ruff_cache *.egg-info
