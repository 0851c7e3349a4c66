"""Sphinx extension: the theme's own words in the language of the page.

Furo ships no Chinese catalog. Sphinx looks for catalogs named ``sphinx`` in
``locale_dirs`` before its own, and merges them (ours first, Sphinx's zh_CN catalog as
the fallback), so locale/zh_CN/LC_MESSAGES/sphinx.po translates every string that
Furo's templates mark with ``_()`` or ``{% trans %}`` and the few that Sphinx's own
zh_CN catalog leaves in English ("Link to this heading").

Some words reach the page without passing through gettext: Furo writes them straight
into its templates (the sidebar toggles' aria-labels, the titles of its icons, "'s" in
the footer) or into its navigation tree ("Toggle navigation of ..."), and conf.py's
copyright line is plain English. This extension looks those up in the same catalog and
puts the translation into the built page, so that the one catalog holds every word of
the theme and a test can check that none is left in English.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path

from tools import site

# Attribute values that Furo writes in English (page.html) or that the guide's own
# templates write (the language switcher).
ATTRIBUTE_WORDS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Language",
)
# The <title> of the icons in Furo's partials/icons.html.
ICON_WORDS = ("Contents", "Menu", "Expand", "Light mode", "Dark mode",
              "Auto light/dark, in light mode", "Auto light/dark, in dark mode")  # fmt: skip
NAVIGATION_TOGGLE = "Toggle navigation of %(title)s"
POSSESSIVE = "%(author)s's"

_NAVIGATION = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')
_AUTHOR = re.compile(r"(<a [^>]*>@pradyunsg</a>)'s")


def every_word() -> list[str]:
    """Every English message this extension translates by itself."""
    return [*ATTRIBUTE_WORDS, *ICON_WORDS, NAVIGATION_TOGGLE, POSSESSIVE]


def translated_html(html: str, gettext) -> str:
    """The page with the theme's hard-coded English replaced by its translation."""
    for word in ATTRIBUTE_WORDS:
        translated = escape(gettext(word))
        html = re.sub(
            rf'(\s(?:aria-label|title))="{re.escape(word)}"', lambda m, t=translated: f'{m.group(1)}="{t}"', html
        )
    for word in ICON_WORDS:
        html = html.replace(f"<title>{word}</title>", f"<title>{escape(gettext(word), quote=False)}</title>")
    html = _NAVIGATION.sub(lambda m: f'aria-label="{gettext(NAVIGATION_TOGGLE) % {"title": m.group(1)}}"', html)
    html = _AUTHOR.sub(lambda m: gettext(POSSESSIVE) % {"author": m.group(1)}, html)
    return html


def translate_copyright(app, pagename, templatename, context, doctree) -> None:
    if app.config.language != site.SOURCE_LANGUAGE and context.get("copyright"):
        context["copyright"] = app.translator.gettext(app.config.copyright)


def note_written_page(app, pagename, templatename, context, doctree) -> None:
    if not hasattr(app, "theme_words_written"):
        app.theme_words_written = set()
    app.theme_words_written.add(pagename)


def translate_built_pages(app, exception) -> None:
    """Translate the pages this build wrote (the others were translated when they were written)."""
    if exception is not None or app.builder.name != "html" or app.config.language == site.SOURCE_LANGUAGE:
        return
    gettext = app.translator.gettext
    written, app.theme_words_written = getattr(app, "theme_words_written", set()), set()  # a warm Sphinx builds again
    for pagename in sorted(written):
        path = Path(app.outdir) / app.builder.get_outfilename(pagename)
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        new = translated_html(html, gettext)
        if new != html:
            path.write_text(new, encoding="utf-8")


def rewrite_everything_when_the_catalog_changes(app, env):
    """Builds are incremental: a page is rewritten only when its own source or catalog
    changed. The theme's words are on every page, so a change to the theme catalog has
    every page rewritten (its fingerprint is kept in the pickled environment)."""
    path = site.LOCALE_DIR / app.config.language / "LC_MESSAGES" / "sphinx.po"
    now = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
    before = getattr(env, "guide_theme_catalog", None)
    env.guide_theme_catalog = now
    if before is not None and before != now:
        return sorted(env.found_docs)
    return []


def setup(app):
    app.connect("env-updated", rewrite_everything_when_the_catalog_changes)
    app.connect("html-page-context", translate_copyright)
    app.connect("html-page-context", note_written_page)
    app.connect("build-finished", translate_built_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
