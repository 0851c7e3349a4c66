# The bilingual Tornado guide. `make serve` to read it, `make test` to check everything.
# Every target bootstraps what it needs: the system packages (when run as root)
# and a virtualenv in .venv from the pinned requirements.txt.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_TOOLS := $(VENV)/.build-tools
TEST_TOOLS := $(VENV)/.test-tools
NODE_STAMP := node_modules/.installed
LANGS := zh_CN

.DEFAULT_GOAL := help
.PHONY: help serve html epub gettext update-po stats test clean

help:
	@echo "make serve      build both languages and serve them at http://127.0.0.1:$(PORT)/ (PORT= to change)"
	@echo "make html       build both languages into _build/html/en and _build/html/zh_CN (warnings are errors)"
	@echo "make test       run every test: the examples against live servers, and the site's checks"
	@echo "make epub       an ePub of each language in _build/epub/LANGUAGE/tornado-guide.epub"
	@echo "make gettext    extract the English messages into _build/gettext/*.pot"
	@echo "make update-po  merge fresh templates into locale/zh_CN/LC_MESSAGES/*.po (PAGES=part1/x for some)"
	@echo "make stats      translated, fuzzy and untranslated messages per page"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: the guide needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Install a newer Python, then run: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# $(call require,COMMAND=PACKAGE ...): install the Debian package of each missing command,
# and only those (installing one already provided otherwise, such as npm, could conflict).
define require
@missing=""; for pair in $(1); do command -v $${pair%%=*} >/dev/null 2>&1 || missing="$$missing $${pair#*=}"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing Debian packages:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
  else \
    echo "error: missing Debian packages:$$missing"; \
    echo "       install them with: sudo apt-get install$$missing"; exit 1; \
  fi; \
fi
endef

# $(call require_file,PATH,DEBIAN PACKAGE): the same for a package that installs no command.
define require_file
@if [ ! -e "$(1)" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing Debian package: $(2)"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null || exit 1; \
  else \
    echo "error: $(1) is missing"; echo "       install it with: sudo apt-get install $(2)"; exit 1; \
  fi; \
fi
endef

TEST_COMMANDS := msgfmt=gettext msgattrib=gettext curl=curl chromium=chromium java=default-jre-headless
TEST_COMMANDS += epubcheck=epubcheck npm=npm nginx=nginx wrk=wrk

# Chinese pages in the browser tests and Lighthouse render with real CJK glyphs.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

# Building needs msgfmt (gettext) to check the catalogs; testing also needs curl for the
# transcripts, Chromium for the browser tests, EPUBCheck (with Java) for the books, npm
# for the Nu HTML Checker, and nginx and wrk for the deployment chapters.
$(BUILD_TOOLS): | $(STAMP)
	$(call require,msgfmt=gettext)
	@touch $@

$(TEST_TOOLS): | $(STAMP)
	$(call require,$(TEST_COMMANDS))
	$(call require_file,$(CJK_FONT),fonts-noto-cjk)
	@touch $@

# The Nu HTML Checker, pinned in package-lock.json.
$(NODE_STAMP): package-lock.json | $(TEST_TOOLS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: $(BUILD_TOOLS)
	$(BIN)/python -m tools.site serve --port $(PORT)

html: $(BUILD_TOOLS)
	$(BIN)/python -m tools.site build

epub: $(BUILD_TOOLS)
	$(BIN)/python -m tools.site epub

gettext: $(STAMP)
	$(BIN)/python -m tools.site gettext

# make update-po PAGES="part1/first-application" updates only that page's catalog.
update-po: $(STAMP)
	$(BIN)/python -m tools.site update-po $(PAGES)

stats: $(STAMP)
	$(BIN)/sphinx-intl stat --locale-dir locale $(addprefix -l ,$(LANGS))

# Two workers on a 2-core machine; tests that share an expensive fixture stay together.
test: $(TEST_TOOLS) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope

clean:
	rm -rf _build
	find locale -name '*.mo' -delete
