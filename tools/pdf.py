"""The guide as a PDF per language, through XeLaTeX.

    python -m tools.pdf [LANGUAGE ...] [--out FOLDER]

writes _build/pdf/<language>/tornado-guide.pdf (`make pdf`; on Read the Docs, --out is
$READTHEDOCS_OUTPUT/pdf). Sphinx's latex builder writes the book with the same
configuration and the same rule as every other build (warnings are errors), then latexmk
runs XeLaTeX until the cross-references settle. A LaTeX error, a reference LaTeX could not
resolve, or a character that no font has (conf.py sets \\tracinglostchars=3) fails the
build. The LaTeX settings are in conf.py; the languages build side by side.

As a Sphinx extension (listed in conf.py), this module gives the book its shape: the front
page's text becomes the first chapter and each part a chapter, its pages the sections
(rather than every part a section of the front page's "Contents"), and it sets what follows
the language (tools/languages.py): the title, and Latin or CJK punctuation; and the
glossary, a table longer than a page, gets column widths so that its cells wrap. Nodes of the
other extensions that have no meaning on paper are left out by their own LaTeX visitors
(the playground) or stay HTML-only (whole-file links, download lines, English originals),
as in the ePub.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from tools.build import sphinx_command
from tools.languages import add_language_arguments, chosen_languages
from tools.languages import language as language_row
from tools.project import BUILD_DIR, ROOT

PDF_DIR = BUILD_DIR / "pdf"
LATEX_DIR = BUILD_DIR / "latex"
BASENAME = "tornado-guide"  # as the ePub: tornado-guide.pdf

# What XeLaTeX's log says when the book has a hole in it.
LOG_PROBLEMS = re.compile(
    r"^(?:! .*|.*There were undefined references.*|LaTeX Warning: (?:Reference|Citation|Hyper reference) .* undefined.*)$",
    re.MULTILINE,
)

# xeCJK sets these as CJK punctuation (full width, in the CJK font); in a Latin-script
# book they are Latin punctuation, in the text's font.
LATIN_PUNCTUATION = r"""
\xeCJKDeclareCharClass{HalfLeft}{"2018, "201C}
\xeCJKDeclareCharClass{HalfRight}{"00B7, "2019, "201D, "2013, "2014, "2025, "2026, "2027, "2E3A}
"""


def pdf_file(language: str) -> Path:
    return PDF_DIR / language / f"{BASENAME}.pdf"


def latexmk_command() -> list[str]:
    """latexmk reads the latexmkrc that Sphinx writes beside the book (XeLaTeX, no xindy)."""
    return ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", f"{BASENAME}.tex"]


def missing_tools() -> list[str]:
    return [name for name in ("xelatex", "latexmk") if shutil.which(name) is None]


def build_pdfs(languages: list[str], out: Path | None = None) -> int:
    """Make one PDF per language (the languages side by side); copy it into OUT if given.

    Return the number of languages that failed."""
    if out is not None and len(languages) != 1:
        raise ValueError("--out takes exactly one language")
    missing = missing_tools()
    if missing:
        print(
            f"error: {' and '.join(missing)} missing: install the Debian packages texlive-xetex, "
            "texlive-lang-chinese, texlive-fonts-recommended, fonts-freefont-otf, fonts-noto-cjk and latexmk "
            "(make pdf does it when run as root)",
            file=sys.stderr,
        )
        return len(languages)
    sphinx = {language: subprocess.Popen(sphinx_command(language, LATEX_DIR / language, "latex"), cwd=ROOT)
              for language in languages}  # fmt: skip
    failed = [language for language, run in sphinx.items() if run.wait() != 0]
    for language in failed:
        print(f"error: the {language} LaTeX build failed (see the messages above)", file=sys.stderr)
    logs = {}
    runs = {}
    for language in languages:
        if language in failed:
            continue
        folder = LATEX_DIR / language
        logs[language] = (folder / "latexmk.out").open("w", encoding="utf-8")
        runs[language] = subprocess.Popen(
            latexmk_command(), cwd=folder, stdout=logs[language], stderr=subprocess.STDOUT
        )
    for language, run in runs.items():
        code = run.wait()
        logs[language].close()
        folder = LATEX_DIR / language
        problems = latex_problems(folder / f"{BASENAME}.log")
        if code != 0 or problems:
            output = (folder / "latexmk.out").read_text(encoding="utf-8", errors="replace")
            print(output[-3000:] if code != 0 else "", *problems, sep="\n", file=sys.stderr)
            print(f"error: XeLaTeX failed on the {language} book (the log: {folder / BASENAME}.log)", file=sys.stderr)
            failed.append(language)
            continue
        target = pdf_file(language)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{BASENAME}.pdf", target)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, out / target.name)
        print(target)
    return len(failed)


def latex_problems(log: Path) -> list[str]:
    """The errors and unresolved references of XeLaTeX's last run."""
    if not log.is_file():
        return [f"{log} is missing"]
    return LOG_PROBLEMS.findall(log.read_text(encoding="utf-8", errors="replace"))


# ---------------------------------------------------------------- the Sphinx side

# In a CJK book, the running head ("Tornado 指南，发行版本 6.6") and the captions
# ("列表 11：examples/...") take full-width punctuation.
CJK_HEADER_COMMA = r"""
\renewcommand{\sphinxheadercomma}{，}
\usepackage{caption}
\DeclareCaptionLabelSeparator{fullwidthcolon}{：}
\captionsetup{labelsep=fullwidthcolon}
"""


def set_book_settings(app, config) -> None:
    """The book's title and author in its language, and Latin punctuation in a book not
    written in CJK.

    LaTeX has no Chinese captions of its own (Sphinx falls back to English's for zh), so the
    heading of the table of contents comes from Sphinx's catalog, as its other words do;
    the author, from the theme's catalog (locale/LANGUAGE/LC_MESSAGES/sphinx.po) when it
    has it."""
    row = language_row(config.language)
    gettext = app.translator.gettext
    config.latex_documents = [
        (start, target, row.site_name, gettext(author), *rest)
        for start, target, _, author, *rest in config.latex_documents
    ]
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + (CJK_HEADER_COMMA if row.cjk else LATIN_PUNCTUATION)
    contents = gettext("Contents")
    if contents != "Contents":
        elements["contentsname"] = rf"\addto\captionsenglish{{\renewcommand{{\contentsname}}{{{contents}}}}}"
    config.latex_elements = elements


def shape_the_book(app, doctree, docname) -> None:
    if app.builder.name != "latex" or docname != app.config.root_doc:
        return
    one_chapter_per_part(doctree)
    for table in doctree.findall(nodes.table):
        if "glossary-table" in table["classes"]:
            # Longer than a page, so a longtable, whose columns LaTeX would not wrap
            # unless they have widths: the ones the glossary directive gives.
            table["classes"].append("colwidths-given")


def one_chapter_per_part(doctree) -> None:
    """Shape the assembled book: chapters for the front page's text and for each part.

    Sphinx would make each section of the front page a chapter, and the parts, which its
    table of contents lists under "Contents", sections of that chapter. Here the front
    page's text and its sections become the first chapter (under the book's title), the
    "Contents" heading goes (the book has its own table of contents), and each page that
    it lists becomes a chapter."""
    front = doctree.next_node(nodes.section)
    if front is None:
        return
    listing = [
        child for child in front.children
        if isinstance(child, nodes.section) and next(child.findall(addnodes.start_of_file), None) is not None
    ]  # fmt: skip
    if len(listing) != 1:
        return
    contents = listing[0]
    title = front[0]
    first = nodes.section("", nodes.title("", "", *[child.deepcopy() for child in title.children]))
    first["ids"] = ["guide-front-page"]
    for child in list(front.children):
        if child is not title and child is not contents:
            front.remove(child)
            first += child
    front += first
    for child in list(contents.children):
        if not isinstance(child, nodes.title):
            contents.remove(child)
            front += child
    front.remove(contents)


def setup(app):
    app.connect("config-inited", set_book_settings)
    app.connect("doctree-resolved", shape_the_book)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------- the command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pdf", description=__doc__.splitlines()[0])
    add_language_arguments(parser, "copy the PDF into this folder")
    args = parser.parse_args(argv)
    return 1 if build_pdfs(chosen_languages(parser, args), args.out) else 0


if __name__ == "__main__":
    sys.exit(main())
