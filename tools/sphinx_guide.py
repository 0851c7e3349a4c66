"""Sphinx extension for the guide: the language switcher and the glossary table."""

from __future__ import annotations

import os
import posixpath
import re
from html import escape
from urllib.parse import urljoin

from markupsafe import Markup

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.i18n import publish_msgstr
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import extract_messages

from tools import site

LANGUAGE_LABELS = {"en": "English", "zh_CN": "中文"}
# The button that shows the English original under each translated paragraph.
ORIGINAL_TOGGLE_LABELS = {"zh_CN": "对照英文原文"}


def twin_url(pagename: str, language: str) -> str:
    """The relative URL of the same page in another language.

    Locally the languages sit side by side (/en/page.html, /zh_CN/page.html);
    on Read the Docs each has a version folder too (/en/latest/, /zh-cn/latest/).
    """
    up_to_language_root = "../" * pagename.count("/")
    if os.environ.get("READTHEDOCS") == "True":
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        return f"{up_to_language_root}../../{site.readthedocs_language(language)}/{version}/{pagename}.html"
    return f"{up_to_language_root}../{language}/{pagename}.html"


def language_root(language: str) -> str:
    """The absolute path of a language's root on the server that will serve the site."""
    if os.environ.get("READTHEDOCS") == "True":
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        return f"/{site.readthedocs_language(language)}/{version}/"
    return f"/{language}/"


def add_language_links(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name != "html":
        return  # an ePub is one language, with no twin to link to
    current = app.config.language
    if pagename == "404":
        # The server shows this page at whatever address was missing, at any depth:
        # resolve its links from the language's root instead of from that address.
        context["metatags"] = context.get("metatags", "") + f'<base href="{language_root(current)}">' + "\n"
    context["guide_languages"] = [
        {
            "code": language,
            "label": LANGUAGE_LABELS[language],
            "url": twin_url(pagename, language),
            "current": language == current,
        }
        for language in site.LANGUAGES
    ]
    context["guide_original_toggle"] = ORIGINAL_TOGGLE_LABELS.get(current)
    # Search engines want absolute addresses for the alternates.
    here = f"{site_base_url(current)}{pagename}.html"
    tags = [
        f'<link rel="alternate" hreflang="{html_lang(language)}" href="{urljoin(here, twin_url(pagename, language))}">'
        for language in site.LANGUAGES
    ]
    tags.append(
        f'<link rel="alternate" hreflang="x-default" href="{urljoin(here, twin_url(pagename, site.SOURCE_LANGUAGE))}">'
    )
    description = page_description(doctree, DESCRIPTION_LENGTHS[current]) or DESCRIPTIONS[current]
    tags += [
        f'<meta name="description" content="{escape(description)}">',
        f'<meta property="og:title" content="{escape(Markup(context.get("title", "")).striptags())}">',
        f'<meta property="og:description" content="{escape(description)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{SITE_NAMES[current]}">',
        f'<meta property="og:locale" content="{OG_LOCALES[current]}">',
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def html_lang(language: str) -> str:
    return language.replace("_", "-")


DESCRIPTIONS = {
    "en": "Tornado Guide: learn the Tornado 6 web framework with examples that are tested against real servers.",
    "zh_CN": "Tornado 指南：通过在真实服务器上测试过的示例学习 Tornado 6 Web 框架。",
}
OG_LOCALES = {"en": "en_US", "zh_CN": "zh_CN"}
SITE_NAMES = {"en": "Tornado Guide", "zh_CN": "Tornado 指南"}
# Search engines show about 160 Latin characters, or about 80 Chinese ones.
DESCRIPTION_LENGTHS = {"en": 160, "zh_CN": 80}


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
        self.env.note_dependency(str(site.GLOSSARY_FILE))
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
        for term in site.glossary():
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
        if self.config.language == site.SOURCE_LANGUAGE or self.app.builder.name != "html":
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
            english = with_english_titles(original, self.env.docname)
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


def with_english_titles(markdown: str, docname: str) -> str:
    """Give each {doc} link without its own text the English title of its page.

    Otherwise the link would show the translated title inside the English original.
    """

    def titled(match: re.Match) -> str:
        target = match.group(1)
        if "<" in target:
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), target)).lstrip("/")
        source = site.DOCS_DIR / f"{path}.md"
        if not source.is_file():
            return match.group(0)  # Sphinx reports the broken link itself
        lines = source.read_text(encoding="utf-8").splitlines()
        title = next((line[2:].strip() for line in lines if line.startswith("# ")), None)
        return f"{{doc}}`{title} <{target}>`" if title else match.group(0)

    return re.sub(r"\{doc\}`([^`]+)`", titled, markdown)


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
    return f"http://127.0.0.1:8000{language_root(language)}"


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
            for other in site.LANGUAGES
        )
        entries.append(f"<url><loc>{escape(base + docname)}.html</loc>{alternates}</url>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    )
    (app.builder.outdir / "sitemap.xml").write_text(xml, encoding="utf-8")


def set_language_settings(app, config) -> None:
    """Settings that follow the language being built: the site's name, and the ePub's
    language tag (BCP 47, zh-CN, where Sphinx says zh_CN)."""
    config.html_title = SITE_NAMES[config.language]
    config.epub_title = SITE_NAMES[config.language]
    config.epub_language = html_lang(config.language)


def setup(app):
    app.connect("config-inited", set_language_settings)
    app.connect("build-finished", write_sitemap)
    app.add_transform(RememberOriginal)
    app.add_transform(ShowOriginal)
    app.add_post_transform(DropAriaControlsFromTabLabels)
    app.add_post_transform(FlattenTabsInBooks)
    app.add_js_file("guide.js")
    app.connect("html-page-context", add_language_links)
    app.add_directive("glossary-table", GlossaryTableDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
