"""No broken internal link or anchor in either language, and no page over its weight budget."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import site

# HTML + CSS + JS a reader downloads for one page, without the search index and fonts,
# as sent over the wire: gzip-compressed, as Read the Docs and `make serve` send text.
PAGE_WEIGHT_BUDGET = 150_000


LINKING_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src"}


@dataclass
class Scan:
    """What the link check needs from a page: its ids, its links, its scripts."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # every a href, link href, script src, img src
    scripts: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    # The standard library's tokenizer, without building a tree: the check reads every page.
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = Scan()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id") is not None:
            self.scan.ids.add(values["id"])
        wanted = LINKING_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted) is not None:
            self.scan.links.append(values[wanted])
        if tag == "script":
            self.scan.scripts.append(values.get("src") or "")

    handle_startendtag = handle_starttag


@cache
def parsed(path: Path) -> Scan:
    scanner = _Scanner()
    scanner.feed(path.read_text(encoding="utf-8"))
    scanner.close()
    return scanner.scan


@cache
def ids(path: Path) -> frozenset[str]:
    return frozenset(parsed(path).ids)


def html_files(root: Path, language: str) -> list[Path]:
    return sorted((root / language).rglob("*.html"))


def internal_references(page: Path):
    """(attribute value, resolved file, fragment) for every link to something in the site."""
    for value in parsed(page).links:
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
        if target.suffix in {".css", ".js"} and target.is_file()
    }  # fmt: skip
    return sum(transfer_size(path) for path in files)


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_page_is_within_its_weight_budget_and_has_no_jquery(built_site, language):
    problems = []
    for page in html_files(built_site, language):
        weight = page_weight(page)
        if weight > PAGE_WEIGHT_BUDGET:
            problems.append(f"{page.relative_to(built_site)}: {weight / 1000:.0f} KB")
        scripts = parsed(page).scripts
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
