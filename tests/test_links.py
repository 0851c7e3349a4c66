"""No broken internal link or anchor in either language, and no page over its weight budget."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tools import site

# HTML + CSS + JS a reader downloads for one page, without the search index and fonts,
# as sent over the wire: gzip-compressed, as Read the Docs and `make serve` send text.
PAGE_WEIGHT_BUDGET = 150_000


@cache
def parsed(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def ids(path: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in parsed(path).find_all(id=True))


def html_files(root: Path, language: str) -> list[Path]:
    return sorted((root / language).rglob("*.html"))


def internal_references(page: Path):
    """(attribute value, resolved file, fragment) for every link to something in the site."""
    soup = parsed(page)
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag, attrs={attribute: True}):
            value = element[attribute]
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            yield value, target, unquote(parts.fragment)


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_no_broken_internal_link_or_anchor(built_site, language):
    problems = []
    for page in html_files(built_site, language):
        for value, target, fragment in internal_references(page):
            name = page.relative_to(built_site)
            if not target.is_file():
                problems.append(f"{name}: {value} points to a missing file")
            elif fragment and target.suffix == ".html" and fragment not in ids(target):
                problems.append(f"{name}: {value} points to a missing anchor")
    assert not problems, "\n".join(problems)


@cache
def transfer_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def page_weight(page: Path) -> int:
    files = {page} | {
        target for _, target, _ in internal_references(page)
        if target.suffix in {".css", ".js"} and target.name != "searchindex.js" and target.is_file()
    }  # fmt: skip
    return sum(transfer_size(path) for path in files)


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_page_is_within_its_weight_budget_and_has_no_jquery(built_site, language):
    problems = []
    for page in html_files(built_site, language):
        weight = page_weight(page)
        if weight > PAGE_WEIGHT_BUDGET:
            problems.append(f"{page.relative_to(built_site)}: {weight / 1000:.0f} KB")
        scripts = [s.get("src", "") for s in parsed(page).find_all("script")]
        if any("jquery" in src.lower() for src in scripts):
            problems.append(f"{page.relative_to(built_site)}: loads jQuery")
    assert not problems, f"over {PAGE_WEIGHT_BUDGET / 1000:.0f} KB or using jQuery:\n" + "\n".join(problems)


def test_the_link_check_sees_a_missing_anchor(tmp_path):
    (tmp_path / "en").mkdir()
    page = tmp_path / "en" / "a.html"
    page.write_text('<p id="here"><a href="a.html#here">ok</a><a href="#gone">bad</a><a href="b.html">bad</a></p>')
    found = [(value, target.is_file(), fragment in ids(target) if target.is_file() else None)
             for value, target, fragment in internal_references(page)]  # fmt: skip
    assert found == [("a.html#here", True, True), ("#gone", True, False), ("b.html", False, None)]
