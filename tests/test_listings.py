"""Example files on the built site: captions, whole files, and a .zip of every example folder."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools.code_comments import find_pieces
from tools.languages import LANGUAGES
from tools.listings import LISTINGS
from tools.project import DOCS_DIR, EXAMPLES_DIR, ROOT

EXAMPLE_FOLDERS = sorted({path.parent for path in EXAMPLES_DIR.glob("*/*/*.py")})


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


INCLUDE = re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{literalinclude\}\s+(\S+)", re.MULTILINE)


def shown_files(page: Path) -> list[str]:
    """The repository paths of the files a page includes (transcripts are terminal sessions, not files)."""
    targets = INCLUDE.findall(page.read_text(encoding="utf-8"))
    paths = [(page.parent / target).resolve().relative_to(ROOT).as_posix() for target in targets]
    return [path for path in paths if not path.endswith(".console")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_block_that_shows_a_file_names_it(built_site, language):
    problems = []
    for page in sorted(DOCS_DIR.rglob("*.md")):
        name = page.relative_to(DOCS_DIR).with_suffix(".html")
        captions = [code.get_text() for code in soup(built_site / language / name).select(".code-block-caption code")]
        if captions != shown_files(page):
            problems.append(f"{name}: captions {captions}, files shown {shown_files(page)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_excerpt_links_the_whole_file(built_site, language):
    html = soup(built_site / language / "part2" / "queues.html")
    link = html.select_one("a.guide-whole-file")
    assert link is not None, "queues.md shows crawler.py in part; its caption links the whole file"
    whole = (built_site / language / "part2" / link["href"]).resolve()
    shown = soup(whole).select_one("article").get_text()
    wanted = next(p for p in EXAMPLES_DIR.joinpath("part2", "queues").glob("*.py") if p.name in whole.name)
    text = wanted.read_text(encoding="utf-8")
    # Every line of code; comments and docstrings are in the page's language (test_code_comments.py).
    prose = {row for piece in find_pieces(text) for row in range(piece.start[0], piece.end[0] + 1)}
    for number, line in enumerate(text.splitlines(), start=1):
        if number not in prose:
            assert line.strip() in shown, f"{whole.name} misses the line {line!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_example_folder_downloads_as_a_zip_from_its_page(built_site, language):
    for folder in EXAMPLE_FOLDERS:
        page = folder.relative_to(EXAMPLES_DIR)
        html = soup(built_site / language / page.with_suffix(".html"))
        link = html.select_one("a.guide-download")
        assert link is not None, f"{page}.html has no download link"
        archive = (built_site / language / page.parent / link["href"]).resolve()
        with zipfile.ZipFile(archive) as opened:
            names = set(opened.namelist())
            readme = opened.read(f"{folder.name}/README.txt").decode()
        programs = {
            f"{folder.name}/{p.name}"
            for p in folder.glob("*.py")
            if not p.name.startswith("test_") and p.name != "conftest.py"
        }
        assert programs <= names, f"{archive.name} misses {sorted(programs - names)}"
        assert not any("/test_" in name or name.endswith("conftest.py") for name in names), (
            f"{archive.name} holds tests"
        )
        for program in programs:
            assert f"python {Path(program).name} --port=8888" in readme
        for template in folder.rglob("*.html"):
            assert f"{folder.name}/{template.relative_to(folder).as_posix()}" in names


def test_listing_pages_are_not_search_results(built_site):
    for page in (built_site / "en" / LISTINGS).rglob("*.html"):
        assert 'data-pagefind-ignore="all"' in page.read_text(encoding="utf-8"), page
