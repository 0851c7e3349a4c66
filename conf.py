"""Sphinx configuration for the bilingual Tornado guide.

The pages live in docs/ and this file sits at the repository root, so every
path below is made absolute: Sphinx would otherwise resolve some of them
against docs/ and others against this directory. Build a language with
``python -m tools.site build LANGUAGE`` rather than calling sphinx-build by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import tornado  # noqa: E402

from tools import inventory  # noqa: E402
from tools.project import LOCALE_DIR  # noqa: E402  (not "project": that is a Sphinx setting)

project = "Tornado Guide"
# The guide follows the Tornado release it is tested with.
version = release = ".".join(tornado.version.split(".")[:2])
author = "The Tornado Guide authors"
copyright = "2026, the Tornado Guide authors"

# The language comes from the build command (-D language=...); English is the source.
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "sphinx_design",
    "tools.sphinx_guide",
    "tools.theme_words",  # the theme's words in Chinese (locale/zh_CN/LC_MESSAGES/sphinx.po)
    "tools.search",
    "tools.listings",
    "tools.code_comments",  # comments and docstrings of the shown programs, in the page's catalog
    "tools.frame",
    "tools.playground",  # {playground}: an example run by Tornado in the reader's browser
    "tools.pdf",  # the PDF's chapters, title and punctuation (the LaTeX settings are below)
    "tools.rebuild_speed",  # what every rebuild did for nothing: settings parsed once, lean pickles
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_templates", "_static"]
templates_path = [str(ROOT / "docs" / "_templates")]
html_static_path = [str(ROOT / "docs" / "_static")]

# Every reference must resolve: a typo in an API name fails the build.
nitpicky = True

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Translations: one catalog per page, found through an absolute path (see the
# module docstring); code blocks are never translation targets, so the Chinese
# pages show exactly the tested code (tools/code_comments.py translates only the
# comments and docstrings of the example programs).
locale_dirs = [str(LOCALE_DIR)]
gettext_compact = False
gettext_uuid = False
gettext_additional_targets = []

# API names link to Tornado's own reference. The inventory is made from the
# installed Tornado at build time, so building needs no network.
intersphinx_mapping = {
    "tornado": (inventory.TORNADO_DOCS, str(inventory.tornado_inventory())),
}

html_theme = "furo"
html_title = "Tornado Guide"  # per language: tools/languages.py, set by tools/sphinx_guide.py
html_css_files = ["guide.css"]
html_favicon = str(ROOT / "docs" / "_static" / "favicon.svg")
html_copy_source = False
# No general index page: the guide has no index entries, and an empty page helps nobody.
html_use_index = False
# Curly quotes and ellipses, but no dashes: --name=value stays two hyphens.
smartquotes_action = "qe"
html_show_sourcelink = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language-switcher.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}


# Copy buttons copy the command, not the prompt ("$ ", or "PS> " on Windows) or the output.
copybutton_prompt_text = r"\$ |PS> "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .gp, .go"

# ePub: one book per language, made by `make epub` and by Read the Docs.
epub_basename = "tornado-guide"
epub_show_urls = "no"
epub_exclude_files = ["404.xhtml", "search.html", ".buildinfo", ".buildinfo.bak"]

# PDF: one book per language through XeLaTeX, made by `make pdf` and by Read the Docs
# (tools/pdf.py, which also sets what follows the language: the title, the punctuation).
# Both books need Chinese glyphs (the English pages show Chinese in the localization
# examples), so both load xeCJK with Noto CJK SC (Debian's fonts-noto-cjk), or TeX Live's
# own Fandol fonts where Noto CJK is not installed.
latex_engine = "xelatex"
latex_documents = [(root_doc, "tornado-guide.tex", project, author, "manual")]
latex_use_xindy = False  # the guide has no index (as html_use_index), so no xindy either
latex_elements = {
    "papersize": "a4paper",
    "fontenc": r"\usepackage{fontspec}\defaultfontfeatures[\rmfamily,\sffamily,\ttfamily]{}\usepackage{xeCJK}",
    # CJK characters in code take two columns, without the spaces xeCJK would add.
    "fvset": r"\fvset{fontsize=auto,formatcom=\xeCJKVerbAddon}",
    # No numbers, as on the site: the parts' titles number themselves (Part I: ...).
    "secnumdepth": r"\setcounter{secnumdepth}{-1}",
    "makeindex": "",
    "printindex": "",
    "preamble": r"""
\IfFontExistsTF{Noto Serif CJK SC}{%
  \setCJKmainfont{Noto Serif CJK SC}\setCJKsansfont{Noto Sans CJK SC}\setCJKmonofont{Noto Sans Mono CJK SC}%
}{%
  \setCJKmainfont{FandolSong-Regular.otf}[BoldFont=FandolSong-Bold.otf]%
  \setCJKsansfont{FandolHei-Regular.otf}[BoldFont=FandolHei-Bold.otf]%
  \setCJKmonofont{FandolHei-Regular.otf}%
}
% A character that no font has stops the build instead of going missing silently.
\tracinglostchars=3
""",
}
