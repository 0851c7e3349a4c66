# The bilingual Tornado guide. `make serve` to read it, `make check` while writing, `make test` to check everything.
# Every target bootstraps what it needs: the system packages (when run as root)
# and a virtualenv in .venv from the pinned requirements.txt.

PYTHON ?= python3
# Empty: the port in tools/languages.py (8000).
PORT ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_TOOLS := $(VENV)/.build-tools
TEST_TOOLS := $(VENV)/.test-tools
PDF_TOOLS := $(VENV)/.pdf-tools
NODE_STAMP := node_modules/.installed
# The translations, from the one table of languages (tools/languages.py); read when used.
LANGS = $(shell $(BIN)/python -m tools.languages --translations)

.DEFAULT_GOAL := help
.PHONY: help serve html epub offline pdf gettext update-po stats check test inventory bench clean

help:
	@echo "make serve      build every language and serve them at http://127.0.0.1:8000/ (PORT= to change)"
	@echo "make html       build every language into _build/html/LANGUAGE (warnings are errors)"
	@echo "make check      the fast checks: examples, sources, catalogs, both builds, links (no browser, Lighthouse, Read the Docs replay, EPUBCheck, PDF, Nu checker)"
	@echo "make test       run every test: the examples against live servers, and all the site's checks"
	@echo "make epub       an ePub of each language in _build/epub/LANGUAGE/tornado-guide.epub"
	@echo "make offline    the whole guide as one HTML page per language, zipped in _build/offline/"
	@echo "make pdf        a PDF of each language (XeLaTeX) in _build/pdf/LANGUAGE/tornado-guide.pdf"
	@echo "make gettext    extract the English messages into _build/gettext/*.pot"
	@echo "make update-po  merge fresh templates into locale/zh_CN/LC_MESSAGES/*.po (PAGES=part1/x for some)"
	@echo "make stats      translated, fuzzy and untranslated messages per page"
	@echo "make inventory  refresh tools/inventories/tornado-VERSION.inv from the pinned Tornado's sdist (network)"
	@echo "make bench      build speed beside Tornado's own docs, into reports/build-speed.md (network)"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: the guide needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Install a newer Python, then run: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# $(call require,COMMAND=PACKAGE ...[,APT OPTIONS]): install the Debian package of each missing
# command (or missing file, for an absolute path), and only those (installing one already
# provided otherwise, such as npm, could conflict).
define require
@missing=""; for pair in $(1); do \
  case $${pair%%=*} in /*) [ -e "$${pair%%=*}" ];; *) command -v $${pair%%=*} >/dev/null 2>&1;; esac \
    || missing="$$missing $${pair#*=}"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing Debian packages:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) $$missing >/dev/null || exit 1; \
  else \
    echo "error: missing Debian packages:$$missing"; \
    echo "       install them with: sudo apt-get install$(if $(2), $(2))$$missing"; exit 1; \
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
TEST_COMMANDS += epubcheck=epubcheck npm=npm nginx=nginx wrk=wrk pdftotext=poppler-utils

# The PDF: XeLaTeX and latexmk; xeCJK's ctexhook.sty (texlive-lang-chinese); hyperref's
# ZapfDingbats metrics (texlive-fonts-recommended); the book's fonts, FreeSerif and Noto CJK.
# Without their recommended packages, which are several hundred megabytes more.
TEXMF := /usr/share/texlive/texmf-dist
PDF_REQUIREMENTS := xelatex=texlive-xetex latexmk=latexmk
PDF_REQUIREMENTS += $(TEXMF)/tex/latex/ctex/ctexhook.sty=texlive-lang-chinese
PDF_REQUIREMENTS += $(TEXMF)/fonts/tfm/adobe/zapfding/pzdr.tfm=texlive-fonts-recommended
PDF_REQUIREMENTS += /usr/share/fonts/opentype/freefont/FreeSerif.otf=fonts-freefont-otf
PDF_REQUIREMENTS += /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc=fonts-noto-cjk

# Chinese pages in the browser tests and Lighthouse render with real CJK glyphs.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

# Building needs msgfmt (gettext) to check the catalogs; testing also needs curl for the
# transcripts, Chromium for the browser tests, EPUBCheck (with Java) for the books, npm
# for the Nu HTML Checker, nginx and wrk for the deployment chapters, poppler's pdftotext
# for the PDFs, and (make test only) XeLaTeX to make them.
$(BUILD_TOOLS): | $(STAMP)
	$(call require,msgfmt=gettext)
	@touch $@

# Checked again when the Makefile changes, so that a new requirement reaches an old checkout.
$(TEST_TOOLS): Makefile | $(STAMP)
	$(call require,$(TEST_COMMANDS))
	$(call require_file,$(CJK_FONT),fonts-noto-cjk)
	@touch $@

$(PDF_TOOLS): Makefile | $(STAMP)
	$(call require,$(PDF_REQUIREMENTS),--no-install-recommends)
	@touch $@

# The Nu HTML Checker, pinned in package-lock.json.
$(NODE_STAMP): package-lock.json | $(TEST_TOOLS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The playground's runtime (Pyodide), pinned in package-lock.json; the site ships it.
PYODIDE := node_modules/pyodide/package.json
$(PYODIDE): package-lock.json
	$(call require,npm=npm)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

serve: $(BUILD_TOOLS) $(PYODIDE)
	$(BIN)/python -m tools.site serve $(if $(PORT),--port $(PORT))

html: $(BUILD_TOOLS) $(PYODIDE)
	$(BIN)/python -m tools.site build

epub: $(BUILD_TOOLS)
	$(BIN)/python -m tools.site epub

offline: $(BUILD_TOOLS)
	$(BIN)/python -m tools.offline

pdf: $(BUILD_TOOLS) $(PDF_TOOLS)
	$(BIN)/python -m tools.pdf

gettext: $(STAMP)
	$(BIN)/python -m tools.site gettext

# make update-po PAGES="part1/first-application" updates only that page's catalog.
update-po: $(STAMP)
	$(BIN)/python -m tools.site update-po $(PAGES)

stats: $(STAMP)
	$(BIN)/sphinx-intl stat --locale-dir locale $(addprefix -l ,$(LANGS))

# Two workers on a 2-core machine; tests that share an expensive fixture stay together.
# make check leaves out the tests marked slow or browser (pytest.ini); make test runs them all
# and names its slowest tests at the end, so that a run shows where the time goes.
check: $(TEST_TOOLS)
	$(BIN)/python -m pytest -n auto --dist loadscope -m "not slow and not browser"

test: $(TEST_TOOLS) $(PDF_TOOLS) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope --durations=15

# Tornado's objects.inv, built from the pinned sdist's docs/ with the Sphinx Tornado pins.
inventory: $(STAMP)
	$(BIN)/python -m tools.inventory

bench: $(BUILD_TOOLS)
	$(BIN)/python -m tools.bench_build

clean:
	rm -rf _build
	find locale -name '*.mo' -delete
