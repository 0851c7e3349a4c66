"""Search with Pagefind: an index per language, built right after Sphinx writes the site.

Sphinx's own browser search does not segment a Chinese query (真实IP finds nothing while
真实 IP works) and drops numbers (403). Pagefind keeps numbers and API names, weights
headings above body text, shows excerpts, and loads only the index fragments a query
needs; Chinese is indexed by character (see space_cjk). The search page
(docs/_templates/search.html with docs/_static/search.js) keeps Sphinx's address,
search.html?q=..., so the sidebar's search box works unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from tools.listings import LISTINGS

# Only the article is indexed: not the navigation, and not the English originals that
# zh_CN pages carry hidden under each paragraph.
ROOT_SELECTOR = "#furo-main-content"
EXCLUDE_SELECTORS = [".guide-original", ".headerlink", ".original-toggle"]
INDEX_FOLDER = "_pagefind"
# Pages that are no answer to a search: the index itself, the whole-file listings that
# pages link (tools/listings.py), the search page and the 404 page. Leaving them out of
# the copy also keeps the reindexing after an edit short.
NOT_INDEXED = {INDEX_FOLDER, LISTINGS, "search.html", "404.html"}


def index_command(pages: Path, output: Path) -> list[str]:
    from pagefind_bin import get_executable  # the binary itself: `python -m pagefind` costs a Python

    return [
        str(get_executable()), "--site", str(pages), "--output-path", str(output),
        "--root-selector", ROOT_SELECTOR, "--include-characters", "_", "--silent",
        *(arg for selector in EXCLUDE_SELECTORS for arg in ("--exclude-selectors", selector)),
    ]  # fmt: skip


# Chinese is indexed one character at a time. Pagefind's plain binary takes a word to be
# whatever lies between spaces, minus its punctuation: 服务器，然后 would be one word 服务器然后.
# (Its extended binary segments Chinese with a dictionary, and the browser segments the query
# with Intl.Segmenter: the two disagree, so 重定向 in a page and in a query could become
# different words and never meet; the segmenter also doubled the time to index.) A space
# between any two adjacent CJK characters, ideographs and full-width punctuation alike,
# makes each ideograph a word; the search page puts the same spaces into the query and
# takes them out of titles and excerpts. Nothing else changes: our Chinese never has a space
# between two of these characters (STYLE.md).
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
CJK_PAIR = re.compile(f"([{CJK}])(?=[{CJK}])")
TEXT_BETWEEN_TAGS = re.compile(r">([^<]+)<")

# What Pagefind need not read, which halves its work: the English originals that zh_CN
# pages carry hidden under each paragraph (never indexed), and the markup that highlights
# code (the code's text stays).
HIDDEN_ORIGINAL = re.compile(r'<div class="guide-original" lang="en">.*?</div>', re.DOTALL)
PREFORMATTED = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre>)", re.DOTALL)
TAG = re.compile(r"<[^>]*>")

# The glossary names every term once: it should come after the pages that explain them.
DOWN_WEIGHTED = ('<table class="glossary-table', '<table data-pagefind-weight="0.2" class="glossary-table')


def space_cjk(html: str) -> str:
    """The page with a space between adjacent CJK characters in its text (not in tags)."""
    return TEXT_BETWEEN_TAGS.sub(lambda text: ">" + CJK_PAIR.sub(r"\1 ", text.group(1)) + "<", html)


def index_copy(html: str) -> str:
    """What Pagefind reads of a built page (see above)."""
    html = HIDDEN_ORIGINAL.sub("", html)
    html = PREFORMATTED.sub(lambda code: code.group(1) + TAG.sub("", code.group(2)) + code.group(3), html)
    return space_cjk(html.replace(*DOWN_WEIGHTED))


def source_copy(doctrees: Path) -> Path:
    """Where the copy that Pagefind reads is kept: beside Sphinx's pickles, out of the site."""
    return doctrees / "pagefind-source"


# A change to how the copy is made (this file) makes the whole copy again.
COPY_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def index_site(site: Path, copy: Path) -> None:
    """Write the Pagefind index of one built language into SITE/_pagefind/.

    Pagefind reads COPY, the pages as index_copy makes them. The copy is kept between
    builds: only the pages that Sphinx wrote since are copied again, so that an edit is
    indexed sooner.
    """
    stamp = copy / "version"
    if not stamp.is_file() or stamp.read_text() != COPY_VERSION:
        shutil.rmtree(copy, ignore_errors=True)
        copy.mkdir(parents=True)
        stamp.write_text(COPY_VERSION)
    indexed = set()
    for page in site.rglob("*.html"):
        relative = page.relative_to(site)
        if NOT_INDEXED.intersection(relative.parts):
            continue
        indexed.add(relative)
        target = copy / relative
        if target.is_file() and target.stat().st_mtime_ns >= page.stat().st_mtime_ns:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index_copy(page.read_text(encoding="utf-8")), encoding="utf-8")
    for old in copy.rglob("*.html"):
        if old.relative_to(copy) not in indexed:
            old.unlink()
    result = subprocess.run(index_command(copy, site / INDEX_FOLDER), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind could not index {site}:\n{result.stdout}{result.stderr}")


# `make serve` indexes after the page is shown (tools/serve.py), so an edit shows sooner.
DEFER_VARIABLE = "GUIDE_SEARCH_INDEX_LATER"


def _index_after_build(app, exception) -> None:
    if os.environ.get(DEFER_VARIABLE):
        return
    if exception is None and app.builder.name in WEBSITE_BUILDERS:
        index_site(Path(app.outdir), source_copy(Path(app.doctreedir)))


WEBSITE_BUILDERS = ("html", "dirhtml")  # not the single-page offline copy, and not a book


def _no_sphinx_index(app) -> None:
    """Pagefind is the search: Sphinx's own index (searchindex.js) would be built for no one.

    Sphinx writes its search page only with its index, so the page is added below."""
    if app.builder.name in WEBSITE_BUILDERS:
        app.builder.search = False
        (Path(app.outdir) / "searchindex.js").unlink(missing_ok=True)  # left by an older build


def _search_page(app):
    if app.builder.name in WEBSITE_BUILDERS:
        yield "search", {}, "search.html"


def _search_page_exists(app, pagename, templatename, context, doctree) -> None:
    """Templates ask hasdoc('search') for the <link rel="search"> of every page."""
    if app.builder.name in WEBSITE_BUILDERS and "hasdoc" in context:
        hasdoc = context["hasdoc"]
        context["hasdoc"] = lambda name: name == "search" or hasdoc(name)


def setup(app):
    app.connect("builder-inited", _no_sphinx_index)
    app.connect("html-collect-pages", _search_page)
    app.connect("html-page-context", _search_page_exists)
    app.connect("build-finished", _index_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
