# Rajapiste: `make run` and `make test` do all set-up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RP := $(VENV)/bin/rajapiste
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NLS ?= ../shared/data/nls-helsinki
APT_PKGS := postgresql postgresql-contrib chromium chromium-driver python3-venv poppler-utils

.PHONY: run test bench load deps venv db data users lint sizes clean-db

run: venv db data users
	$(RP) serve

test: venv db
	$(PY) -m pytest -q

bench: venv db
	PARCELS=$(PARCELS) $(PY) bench/run.py

# 100 concurrent clients for 60 s on what make run loaded (bench/load.py; CLIENTS=, SECONDS=)
load: venv db data
	$(PY) bench/load.py

# System packages: PostgreSQL + PostGIS (the version matching the installed server),
# Chromium for the browser tests, poppler-utils (pdftoppm) to render the letters' PDFs in
# the tests. Installs only what is missing.
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi; \
	v=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	dpkg -s postgresql-$$v-postgis-3 >/dev/null 2>&1 || { \
	  echo "installing postgresql-$$v-postgis-3"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-$$v-postgis-3 >/dev/null; }; \
	# the distribution's own cluster is not ours: do not let it hold resources
	$(SUDO) systemctl disable --now postgresql >/dev/null 2>&1 || true

$(VENV)/.installed: pyproject.toml | deps
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

venv: deps $(VENV)/.installed

db: venv
	$(RP) db up

# The real NLS Helsinki sample when ../shared is there, the generated town otherwise.
data: db
	$(RP) demo sample --nls $(NLS)

# One demo account per role when there are none; their passwords are printed once.
users: data
	$(RP) user demo

lint: venv
	$(VENV)/bin/ruff check geo api web tests bench
	$(VENV)/bin/mypy

# The five largest functions and files of geo/, api/ and web/static/js (no function over 80 lines).
sizes: venv
	$(PY) tests/test_structure.py

clean-db:
	-$(RP) db down
	rm -rf .rajapiste
