"""A PDF of each language that holds what the site holds: every page, the Chinese text as
Chinese glyphs, the code listings (with Chinese comments in the Chinese book), no hole."""

from __future__ import annotations

import re
import subprocess

import pytest
from babel.messages.pofile import read_po

from tools import pdf, site
from tools.languages import language as language_row
from tools.sphinx_guide import english_title, plain_text

# XeLaTeX twice per language, both languages side by side: make test, not make check.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

CHINESE = "zh_CN"
AUTHOR = "The Tornado Guide authors"  # conf.py
BOOK_PAGES = [page for page in site.pages() if page != "404"]  # the 404 page is in no table of contents


@pytest.fixture(scope="module")
def books():
    assert pdf.build_pdfs(list(site.LANGUAGES)) == 0, "the PDF build failed (see the output above)"
    return {language: pdf.pdf_file(language) for language in site.LANGUAGES}


@pytest.fixture(scope="module")
def texts(books):
    """Each book's text as pdftotext reads it."""
    return {
        language: subprocess.run(["pdftotext", str(book), "-"], capture_output=True, text=True, check=True).stdout
        for language, book in books.items()
    }


def squeezed(text: str) -> str:
    """Text without white space, and with the typographer's quotes and ellipses as typed,
    so that line breaks, CJK spacing and smart quotes do not matter. (A CJK font's ellipsis
    is the centred one, U+22EF, to pdftotext.)"""
    for fancy, typed in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("…", "..."), ("⋯", "...")):
        text = text.replace(fancy, typed)
    return re.sub(r"\s+", "", text)


def catalog(page: str) -> dict[str, str]:
    """A page's translations that the Chinese book uses (translated, not fuzzy)."""
    with site.catalog(CHINESE, page).open("rb") as file:
        return {
            message.id: message.string
            for message in read_po(file)
            if message.id and message.string and not message.fuzzy
        }


def title(language: str, page: str) -> str:
    english = plain_text(english_title(site.DOCS_DIR / f"{page}.md"))
    return english if language == site.SOURCE_LANGUAGE else catalog(page)[english]


def author(language: str) -> str:
    """conf.py's author, translated by the theme's catalog (sphinx.po) in a translated book."""
    if language == site.SOURCE_LANGUAGE:
        return AUTHOR
    with (site.LOCALE_DIR / language / "LC_MESSAGES" / "sphinx.po").open("rb") as file:
        return read_po(file)[AUTHOR].string


def pdf_info(book) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(book)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_each_book_has_every_page_under_its_title(texts, language):
    text = squeezed(texts[language])
    for page in BOOK_PAGES:
        wanted = squeezed(title(language, page))
        # In the table of contents, and again at the top of its chapter or section.
        assert text.count(wanted) >= 2, f"{page}: {wanted!r} appears {text.count(wanted)} times"


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_each_book_is_titled_in_its_language_and_has_a_sane_length(books, language):
    info = pdf_info(books[language])
    assert info["Title"].strip() == language_row(language).site_name
    assert info["Author"].strip() == author(language)
    pages = int(info["Pages"])
    # A page of the site is a few pages of the book; far fewer means pages went missing.
    assert 2 * len(BOOK_PAGES) < pages < 20 * len(BOOK_PAGES), pages


def test_the_chinese_book_has_chinese_prose_in_a_cjk_font(books, texts):
    fonts = subprocess.run(["pdffonts", str(books[CHINESE])], capture_output=True, text=True, check=True).stdout
    embedded_cjk = [line for line in fonts.splitlines() if "CJK" in line.split()[0] and " yes " in line]
    assert embedded_cjk, fonts
    # A plain paragraph of the first chapter, as its catalog translates it.
    sentence = next(
        translated
        for original, translated in catalog("part1/what-is-tornado").items()
        if len(translated) > 30 and not re.search(r"[`{}\[\]*<>\"“”‘’…]|\.\.\.", original + translated)
    )
    assert squeezed(sentence) in squeezed(texts[CHINESE])
    assert squeezed(sentence) not in squeezed(texts[site.SOURCE_LANGUAGE])
    # The running head and the captions take Chinese punctuation: Tornado 指南，发行版本 6.6; 列表 11：examples/...
    assert f"{language_row(CHINESE).site_name}，" in texts[CHINESE]
    assert f"{language_row(site.SOURCE_LANGUAGE).site_name}, " in texts[site.SOURCE_LANGUAGE]
    assert re.search(r"列表 \d+：examples/", texts[CHINESE])
    assert re.search(r"Listing \d+: examples/", texts[site.SOURCE_LANGUAGE])


def test_code_listings_show_their_file_and_the_comments_in_the_books_language(texts):
    hello = site.EXAMPLES_DIR / "part1" / "first-application" / "hello.py"
    comment = "Only this computer can connect; no request needs a body above 1 KiB."
    assert f"# {comment}" in hello.read_text(encoding="utf-8")
    translated = catalog("part1/first-application")[comment]
    for language, text in texts.items():
        flat = squeezed(text)
        assert squeezed("examples/part1/first-application/hello.py") in flat, language
        assert squeezed("class MainHandler(tornado.web.RequestHandler):") in flat, language
        assert (squeezed(translated) in flat) == (language == CHINESE), language
        assert (squeezed(comment) in flat) == (language == site.SOURCE_LANGUAGE), language


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_tab_is_printed_and_no_playground_panel(texts, language):
    flat = squeezed(texts[language])
    assert squeezed("python3 -m venv .venv") in flat  # the Linux and macOS tab
    assert squeezed(r"py -m venv .venv") in flat  # the Windows tab
    # A playground's exercise is done in its panel, which a book cannot have.
    exercise = "Exercise: make the handler answer 400 Bad Request when the name is longer than 20 characters, then press Check."
    assert exercise in (site.DOCS_DIR / "part4" / "templates.md").read_text(encoding="utf-8")
    if language == CHINESE:
        exercise = catalog("part4/templates")[exercise]
    assert squeezed(exercise) not in flat


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_no_reference_is_left_unresolved(texts, language):
    assert "??" not in texts[language]
    assert pdf.latex_problems(pdf.LATEX_DIR / language / f"{pdf.BASENAME}.log") == []
