"""Sphinx extension for the guide: the language switcher and the glossary table."""

from __future__ import annotations

import os
import re

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from tools import site

LANGUAGE_LABELS = {"en": "English", "zh_CN": "中文"}


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


def add_language_links(app, pagename, templatename, context, doctree) -> None:
    current = app.config.language
    context["guide_languages"] = [
        {
            "code": language,
            "label": LANGUAGE_LABELS[language],
            "url": twin_url(pagename, language),
            "current": language == current,
        }
        for language in site.LANGUAGES
    ]


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


def setup(app):
    app.connect("html-page-context", add_language_links)
    app.add_directive("glossary-table", GlossaryTableDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
