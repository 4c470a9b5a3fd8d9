# zhuisu — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit serve clean sysdeps sysdeps-dev install-debs webdeps

# Debian packages the labels need: the CJK font of label sheets and WeasyPrint's Pango. Installed
# only when missing, and only as root or with sudo; otherwise the missing names are printed.
DEBS := fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# and for the tests: Debian's Chromium, which Playwright drives (never a browser download)
DEV_DEBS := $(DEBS) chromium

# The web pages' front-end files (htmx), from the npm registry as package-lock.json pins them,
# copied next to the pages' own static files (gitignored; never a CDN).
HTMX := src/zhuisu/web/static/vendor/htmx.min.js

webdeps: $(HTMX)

$(HTMX): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

sysdeps:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEBS)"

sysdeps-dev:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEV_DEBS)"

install-debs:
	@missing=$$(for p in $(PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages (install them as root): $$missing" >&2; fi; \
	fi

$(STAMP): pyproject.toml | $(BIN)/python sysdeps webdeps
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python sysdeps-dev webdeps
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

## make demo: install, build the small demo city (only if data/ has no database yet), print the
## URLs and demo logins, serve on http://127.0.0.1:8000
DEMO_DB := data/zhuisu.sqlite3
demo: $(STAMP)
	@if [ -f $(DEMO_DB) ] && [ ! -f data/zhuisu.demo.json ]; then \
	  echo "$(DEMO_DB) exists and holds no demo city: serving it as it is"; $(BIN)/zhuisu serve; \
	else $(BIN)/zhuisu demo --scale small; fi

## make test: install with dev extras, lint, type-check, then every test
test: $(DEV_STAMP) lint typecheck unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest -n 2 -p no:cacheprovider

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
