"""An ePub of each language that EPUBCheck accepts."""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from tools import site
from tools.languages import LANGUAGE_TABLE

pytestmark = pytest.mark.slow  # EPUBCheck: make test, not make check

# The quick JIT tier starts EPUBCheck in a third of the time; the check is the same.
EPUBCHECK = ["java", "-XX:TieredStopAtLevel=1", "-jar", "/usr/share/java/epubcheck.jar"]


@pytest.fixture(scope="module")
def books():
    assert site.build_epub(list(site.LANGUAGES)) == 0, "the ePub build failed (see the output above)"
    return {language: site.epub_file(language) for language in site.LANGUAGES}


@pytest.fixture(scope="module")
def reports(books):
    """EPUBCheck's verdict on each book, the books checked at the same time."""
    checks = {
        language: subprocess.Popen([*EPUBCHECK, str(book)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for language, book in books.items()
    }
    return {language: (check.wait(), check.stdout.read()) for language, check in checks.items()}


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_epubcheck_finds_no_error_or_warning(reports, language):
    code, report = reports[language]
    assert code == 0, report
    assert "0 fatals / 0 errors / 0 warnings" in report, report


@pytest.mark.parametrize("language, lang_tag", [(row.code, row.html_lang) for row in LANGUAGE_TABLE])
def test_each_book_is_in_its_language_and_holds_every_page(books, language, lang_tag):
    with zipfile.ZipFile(books[language]) as book:
        package = book.read("content.opf").decode("utf-8")
        assert f"<dc:language>{lang_tag}</dc:language>" in package
        names = set(book.namelist())
        for page in site.pages():
            if page != "404":
                assert f"{page}.xhtml" in names, page
        first_chapter = book.read("part1/what-is-tornado.xhtml").decode("utf-8")
    assert ("异步" in first_chapter) == (language == "zh_CN")
