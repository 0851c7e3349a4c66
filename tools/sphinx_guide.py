"""Sphinx extension for the guide.

Its jobs: the language switcher and hreflang alternates; page descriptions and Open Graph
tags; the 404 page's base address; the sitemap; the glossary table; the English original
under each translated paragraph; valid tab markup (and flat tabs in books); the settings
that follow the language (site name, ePub language); and incremental builds that still
rewrite every page when the navigation that every sidebar shows has changed.
Every fact about a language comes from tools/languages.py.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from markupsafe import Markup
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

try:  # Sphinx 8, which we pin: the private helper that parses a message as a page would
    from sphinx.transforms.i18n import publish_msgstr
except ImportError:  # Sphinx 9 renamed it
    from sphinx.transforms.i18n import _publish_msgstr as publish_msgstr
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import extract_messages

from tools.glossary import glossary
from tools.languages import LANGUAGES, LOCAL_URL, SOURCE_LANGUAGE, html_lang, readthedocs_language
from tools.languages import language as language_row
from tools.project import DOCS_DIR, GLOSSARY_FILE


def twin_url(pagename: str, language: str) -> str:
    """The relative URL of the same page in another language.

    Locally the languages sit side by side (/en/page.html, /zh_CN/page.html);
    on Read the Docs each has a version folder too (/en/latest/, /zh-cn/latest/).
    """
    up_to_language_root = "../" * pagename.count("/")
    if os.environ.get("READTHEDOCS") == "True":
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        return f"{up_to_language_root}../../{readthedocs_language(language)}/{version}/{pagename}.html"
    return f"{up_to_language_root}../{language}/{pagename}.html"


def language_root(language: str) -> str:
    """The absolute path of a language's root on the server that will serve the site."""
    if os.environ.get("READTHEDOCS") == "True":
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        return f"/{readthedocs_language(language)}/{version}/"
    return f"/{language}/"


def add_language_links(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name != "html":
        return  # an ePub is one language, with no twin to link to
    current = app.config.language
    row = language_row(current)
    if pagename == "404":
        # The server shows this page at whatever address was missing, at any depth:
        # resolve its links from the language's root instead of from that address.
        context["metatags"] = context.get("metatags", "") + f'<base href="{language_root(current)}">' + "\n"
    context["guide_languages"] = [
        {
            "code": language,
            "html_lang": html_lang(language),
            "label": language_row(language).label,
            "url": twin_url(pagename, language),
            "current": language == current,
        }
        for language in LANGUAGES
    ]
    context["guide_original_toggle"] = row.original_toggle
    # Search engines want absolute addresses for the alternates.
    here = f"{site_base_url(current)}{pagename}.html"
    tags = [
        f'<link rel="alternate" hreflang="{html_lang(language)}" href="{urljoin(here, twin_url(pagename, language))}">'
        for language in LANGUAGES
    ]
    tags.append(
        f'<link rel="alternate" hreflang="x-default" href="{urljoin(here, twin_url(pagename, SOURCE_LANGUAGE))}">'
    )
    description = page_description(doctree, row.description_length) or row.description
    tags += [
        f'<meta name="description" content="{escape(description)}">',
        f'<meta property="og:title" content="{escape(Markup(context.get("title", "")).striptags())}">',
        f'<meta property="og:description" content="{escape(description)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{row.site_name}">',
        f'<meta property="og:locale" content="{row.og_locale}">',
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def page_description(doctree, limit: int) -> str:
    """The page's first paragraph as plain text, cut at a word or sentence near `limit` characters."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) < limit // 4:
            continue
        if len(text) <= limit:
            return text
        cut = text[:limit]
        for stop in ("。", ". "):  # a whole sentence needs no ellipsis
            if stop in cut[limit // 2 :]:
                return cut[: cut.rindex(stop) + len(stop.strip())]
        for stop in ("，", ", ", " "):
            if stop in cut[limit // 2 :]:
                return cut[: cut.rindex(stop)] + "…"
        return cut + "…"
    return ""


class GlossaryTableDirective(SphinxDirective):
    """Render docs/glossary.tsv as a table: English term, Chinese term, meaning.

    The two term columns are the same in every language and are not translation
    targets; the header and the meanings are.
    """

    has_content = False

    def run(self):
        self.env.note_dependency(str(GLOSSARY_FILE))
        source, line = self.get_source_info()

        def translatable(text):
            paragraph = nodes.paragraph(text, text)
            paragraph.source, paragraph.line = source, line
            return paragraph

        def fixed(text):
            return nodes.paragraph("", "", nodes.Text(text))

        table = nodes.table(classes=["glossary-table"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (30, 20, 50):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row([translatable("English"), translatable("Chinese"), translatable("Meaning")])
        body = nodes.tbody()
        group += body
        for term in glossary():
            row = self._row([fixed(term.english), fixed(term.chinese), translatable(term.meaning)])
            row["ids"].append("term-" + re.sub(r"[^a-z0-9]+", "-", term.english.lower()).strip("-"))
            body += row
        return [table]

    @staticmethod
    def _row(cells):
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            entry += content
            row += entry
        return row


# ---------------------------------------------------------------- the English original


class RememberOriginal(SphinxTransform):
    """Before the translation replaces a paragraph, keep its English text on the node."""

    default_priority = 19  # just before sphinx.transforms.i18n.Locale (20)

    def apply(self) -> None:
        if self.config.language == SOURCE_LANGUAGE or self.app.builder.name != "html":
            return
        for node, message in extract_messages(self.document):
            if isinstance(node, nodes.paragraph):
                node["guide_original"] = message


class ShowOriginal(SphinxTransform):
    """After translation, put each translated paragraph's English original right after it.

    The original is parsed like the page itself, so its code, links and references render
    as in the English page. It is hidden until the reader turns it on (docs/_static/guide.js),
    so that a learner can check a term against the source.
    """

    default_priority = 900

    def apply(self) -> None:
        for node in list(self.document.findall(nodes.paragraph)):
            original = node.get("guide_original")
            if original is None:
                continue
            del node["guide_original"]
            if node.astext().strip() == plain_text(original):
                continue  # not translated (a code-only paragraph, for example)
            used = english_titles_used(self.env).setdefault(self.env.docname, {})
            english = with_english_titles(original, self.env.docname, used)
            parsed = publish_msgstr(
                self.app, english, self.document["source"], node.line, self.config, self.document.settings
            )
            if not isinstance(parsed, nodes.paragraph):
                continue
            position = node.parent.index(node) + 1
            node.parent[position:position] = [
                nodes.raw("", '<div class="guide-original" lang="en">', format="html"),
                parsed,
                nodes.raw("", "</div>", format="html"),
            ]


def with_english_titles(markdown: str, docname: str, used: dict[str, str] | None = None) -> str:
    """Give each {doc} link without its own text the English title of its page.

    Otherwise the link would show the translated title inside the English original.
    The titles put in are recorded in USED (page source -> title), so that the page is
    reread when one of them changes (reread_pages_whose_english_titles_changed).
    """

    def titled(match: re.Match) -> str:
        target = match.group(1)
        if "<" in target:
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), target)).lstrip("/")
        source = DOCS_DIR / f"{path}.md"
        if not source.is_file():
            return match.group(0)  # Sphinx reports the broken link itself
        title = english_title(source)
        if used is not None:
            used[str(source)] = title
        return f"{{doc}}`{title} <{target}>`" if title else match.group(0)

    return re.sub(r"\{doc\}`([^`]+)`", titled, markdown)


def english_title(source: Path) -> str | None:
    """The title of an English page: its first level-one heading."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    return next((line[2:].strip() for line in lines if line.startswith("# ")), None)


def english_titles_used(env) -> dict[str, dict[str, str]]:
    """Per translated page, the English titles its originals show (kept in the pickled environment)."""
    if not hasattr(env, "guide_english_titles"):
        env.guide_english_titles = {}
    return env.guide_english_titles


def reread_pages_whose_english_titles_changed(app, env, added, changed, removed):
    """A translated page shows English titles of the pages it links to (in its originals):
    reread it when one of those titles changed, and only then (not on every edit of them)."""
    return [
        docname
        for docname, used in english_titles_used(env).items()
        if docname not in removed and any(english_title(Path(source)) != title for source, title in used.items())
    ]


def forget_english_titles(app, env, docname):
    english_titles_used(env).pop(docname, None)


def merge_english_titles(app, env, docnames, other):
    english_titles_used(env).update({docname: english_titles_used(other).get(docname, {}) for docname in docnames})


def plain_text(markdown: str) -> str:
    """The reader's view of a message's Markdown: roles and code shown as text, marks removed."""
    code: list[str] = []

    def keep(text: str) -> str:
        code.append(text)
        return f"\x00{len(code) - 1}\x00"

    def role(match: re.Match) -> str:
        name, target = match.group(1), match.group(2)
        titled = re.fullmatch(r"(.*?)\s*<(.+)>", target)
        if titled:
            return keep(titled.group(1))
        if target.startswith("~"):
            target = target[1:].rsplit(".", 1)[-1]
        return keep(target + ("()" if name in ("py:func", "py:meth") else ""))

    text = re.sub(r"\{([\w:.-]+)\}`([^`]+)`", role, markdown)
    text = re.sub(r"(`+)(.+?)\1", lambda m: keep(m.group(2)), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|\*|__|_)(\S.*?\S|\S)\1", r"\2", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: code[int(m.group(1))], text)
    return " ".join(text.split())


# ---------------------------------------------------------------- valid tab markup


class DropAriaControlsFromTabLabels(SphinxPostTransform):
    """sphinx-design puts aria-controls on each tab's <label>, which HTML does not allow on a
    label tied to an input (the Nu HTML Checker reports it). The label's `for` already ties
    it to its radio button, so the attribute goes."""

    default_priority = 201  # after sphinx-design's TabSetHtmlTransform (200)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for node in self.document.findall(nodes.Element):
            if "aria_controls" in node.attributes:
                del node["aria_controls"]


class FlattenTabsInBooks(SphinxPostTransform):
    """A book has no interactive tabs (and sphinx-design's radio inputs are not valid
    XHTML): in an ePub, each tab's content follows its label, one after the other."""

    default_priority = 199  # before sphinx-design turns tab sets into inputs and labels
    formats = ("html",)

    def run(self, **kwargs) -> None:
        if self.app.builder.name != "epub":
            return
        from sphinx_design.shared import is_component

        for tab_set in list(self.document.findall(lambda node: is_component(node, "tab-set"))):
            flat = []
            for item in tab_set.children:
                if is_component(item, "tab-item") and len(item.children) == 2:
                    label, content = item.children
                    flat.append(nodes.rubric("", "", *label.children))
                    flat.extend(content.children)
                else:
                    flat.append(item)
            tab_set.replace_self(flat)


# ---------------------------------------------------------------- sitemap


def site_base_url(language: str) -> str:
    """The absolute URL of a language's root: Read the Docs' canonical URL, or `make serve`'s."""
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL")
    if canonical:
        return canonical if canonical.endswith("/") else canonical + "/"
    return f"{LOCAL_URL}{language_root(language)}"


def write_sitemap(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    language = app.config.language
    base = site_base_url(language)
    entries = []
    for docname in sorted(app.env.found_docs - {"404"}):
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{html_lang(other)}" '
            f'href="{escape(urljoin(f"{base}{docname}.html", twin_url(docname, other)))}"/>'
            for other in LANGUAGES
        )
        entries.append(f"<url><loc>{escape(base + docname)}.html</loc>{alternates}</url>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    )
    (app.builder.outdir / "sitemap.xml").write_text(xml, encoding="utf-8")


# ---------------------------------------------------------------- incremental builds


def navigation(env) -> dict:
    """What every page's sidebar shows (each page's title and the table of contents), and
    the sections of the pages that hold a table of contents (the front page lists them)."""
    return {
        "titles": {
            docname: env.titles[docname].astext() for docname in sorted(env.found_docs) if docname in env.titles
        },
        "toctree": {docname: list(included) for docname, included in sorted(env.toctree_includes.items())},
        "sections": {
            docname: [reference.astext() for reference in env.tocs[docname].findall(nodes.reference)]
            for docname in sorted(env.toctree_includes)
            if docname in env.tocs
        },
    }


def rewrite_everything_when_the_navigation_changes(app, env):
    """Builds are incremental (no -a): Sphinx rewrites only the pages it reread and their
    parents. But every sidebar lists the titles of all pages, so when a title (English, or
    translated in a catalog) or the table of contents changes, every page is rewritten.
    The navigation of the last build is kept in the pickled environment."""
    now = navigation(env)
    before = getattr(env, "guide_navigation", None)
    env.guide_navigation = now
    app.guide_navigation_changed = before != now
    if before is not None and before != now:
        return sorted(env.found_docs)
    return []


def rewrite_no_parent_when_the_navigation_is_unchanged(app, builder) -> None:
    """Sphinx also rewrites the pages whose table of contents lists a reread page. What
    they show of it (its title, and its sections for the front page's index pages) is in
    the navigation: if that did not change, they need no rewrite. (The environment was
    saved before writing, so this changes nothing for the next build.)"""
    if builder.name == "html" and getattr(app, "guide_navigation_changed", True) is False:
        builder.env.files_to_rebuild = {}


class _WarnedPages(logging.Handler):
    """Remember which pages had a warning. Builds are incremental and warnings are errors:
    a page that warned must be reread and rewritten on the next build (until it builds
    clean), or a second `make html` would pass without seeing the problem again."""

    def __init__(self, app):
        super().__init__(logging.WARNING)
        self.app = app
        self.docnames: set[str] = set()
        self.unplaced = False

    def emit(self, record) -> None:
        location = getattr(record, "location", None)
        if isinstance(location, nodes.Node):
            location = location.source or ""
        if isinstance(location, tuple):
            docname = location[0]
        elif isinstance(location, str) and location:
            docname = self.app.env.path2doc(location.split(":")[0]) if self.app.env else None
        else:
            docname = None
        if docname:
            self.docnames.add(docname)
        else:
            self.unplaced = True


def _warned_file(app) -> Path:
    return Path(app.doctreedir) / "guide-warned-pages.json"


def watch_warnings(app) -> None:
    app.guide_warned = _WarnedPages(app)
    logging.getLogger("sphinx").addHandler(app.guide_warned)


def reread_pages_that_warned(app, env, added, changed, removed):
    """The pages that warned on the last build (see _WarnedPages)."""
    path = _warned_file(app)
    if not path.is_file():
        return []
    warned = json.loads(path.read_text(encoding="utf-8"))
    if warned.get("unplaced"):  # a warning tied to no page: read everything again
        return sorted(env.found_docs)
    return sorted(set(warned["docnames"]) & env.found_docs)


def record_warned_pages(app, exception) -> None:
    warned = getattr(app, "guide_warned", None)
    if warned is None or app.builder.name == "gettext":
        return
    logging.getLogger("sphinx").removeHandler(warned)
    path = _warned_file(app)
    if warned.docnames or warned.unplaced or exception is not None:
        path.write_text(
            json.dumps({"docnames": sorted(warned.docnames), "unplaced": warned.unplaced or exception is not None}),
            encoding="utf-8",
        )
    elif path.exists():
        path.unlink()


def set_language_settings(app, config) -> None:
    """Settings that follow the language being built: the site's name, and the ePub's
    language tag (BCP 47, zh-CN, where Sphinx says zh_CN)."""
    row = language_row(config.language)
    config.html_title = row.site_name
    config.epub_title = row.site_name
    config.epub_language = row.html_lang


def setup(app):
    app.connect("config-inited", set_language_settings)
    app.connect("build-finished", write_sitemap)
    app.connect("env-updated", rewrite_everything_when_the_navigation_changes)
    app.connect("write-started", rewrite_no_parent_when_the_navigation_is_unchanged)
    app.connect("env-get-outdated", reread_pages_whose_english_titles_changed)
    app.connect("builder-inited", watch_warnings)
    app.connect("env-get-outdated", reread_pages_that_warned)
    app.connect("build-finished", record_warned_pages)
    app.connect("env-purge-doc", forget_english_titles)
    app.connect("env-merge-info", merge_english_titles)
    app.add_transform(RememberOriginal)
    app.add_transform(ShowOriginal)
    app.add_post_transform(DropAriaControlsFromTabLabels)
    app.add_post_transform(FlattenTabsInBooks)
    app.add_js_file("guide.js")
    app.connect("html-page-context", add_language_links)
    app.add_directive("glossary-table", GlossaryTableDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
