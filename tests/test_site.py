"""The built site: both languages, really translated, linked to each other."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from tools import site
from tools.languages import LANGUAGE_TABLE, LOCAL_URL, html_lang

# Where make serve puts the site, and so the base of absolute URLs in a local build.
LOCAL_BASE = f"{LOCAL_URL}/"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Five English words in a row is a sentence left untranslated; names and titles are shorter.
ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z][a-z']+\b[ ,;:]+){4}\b[A-Za-z][a-z']+\b")


def article(html_file: Path) -> BeautifulSoup:
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article", attrs={"role": "main"})
    assert main is not None, f"{html_file} has no main article"
    return main


def prose(main: BeautifulSoup) -> str:
    """The text a reader reads, without code, which is never translated."""
    hidden = ".guide-original"  # the English original, shown only when the reader asks
    # A playground's editor and request fields hold code, like a code block.
    for node in main.select(
        f"pre, code, kbd, textarea, .highlight, .headerlink, {hidden}, table.glossary-table td:nth-of-type(1)"
    ):
        node.decompose()
    return " ".join(main.get_text(" ").split())


def english_runs(text: str) -> list[str]:
    return ENGLISH_RUN.findall(text)


@pytest.mark.parametrize("page", site.pages())
def test_chinese_page_shows_no_english_prose(built_site, page):
    main = article(built_site / "zh_CN" / f"{page}.html")
    text = prose(main)
    assert CJK.search(text), f"zh_CN/{page}.html holds no Chinese at all: are the catalogs applied?"
    leftovers = english_runs(text)
    assert not leftovers, f"zh_CN/{page}.html still shows English prose: {leftovers[:3]}"


def test_the_english_prose_check_catches_an_untranslated_sentence():
    assert english_runs("协程 Tornado uses an event loop to serve many clients 事件循环")
    assert not english_runs("用 Tornado 和 asyncio 写 Web 应用")


@pytest.mark.parametrize("page", site.pages())
def test_english_page_shows_no_chinese_except_the_glossary(built_site, page):
    main = article(built_site / "en" / f"{page}.html")
    for cell in main.select("table.glossary-table td:nth-of-type(2)"):
        cell.decompose()
    found = CJK.findall(prose(main))
    assert not found, f"en/{page}.html shows Chinese text: {''.join(found)[:40]}"


@pytest.mark.parametrize("language, lang_attribute", [(row.code, row.html_lang) for row in LANGUAGE_TABLE])
def test_html_lang_is_the_language_of_the_build(built_site, language, lang_attribute):
    for page in site.pages():
        html = (built_site / language / f"{page}.html").read_text(encoding="utf-8")
        assert f'<html class="no-js" lang="{lang_attribute}"' in html, f"{language}/{page}.html"


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_language_switcher_links_every_page_to_its_twin(built_site, language):
    for page in site.pages():
        html_file = built_site / language / f"{page}.html"
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        links = soup.select("nav.language-switcher a.language-link")
        assert len(links) == len(site.LANGUAGES) - 1, f"{language}/{page}.html has no language switcher"
        for link in links:
            twin = (html_file.parent / link["href"]).resolve()
            assert twin == (built_site / link["hreflang"].replace("-", "_") / f"{page}.html").resolve()
            assert twin.is_file(), f"{language}/{page}.html links to a missing {link['href']}"


def test_the_root_sends_a_visitor_to_a_language_and_links_both(built_site):
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert hrefs == {f"{language}/index.html" for language in site.LANGUAGES}
    assert "location.replace" in soup.script.string


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_pagefind_is_the_only_search(built_site, language):
    """Sphinx's own index is not built (no page loads it); the search page is ours, and every page points to it."""
    assert not (built_site / language / "searchindex.js").exists()
    search_page = (built_site / language / "search.html").read_text(encoding="utf-8")
    assert "_static/search.js" in search_page and "searchtools.js" not in search_page
    page = BeautifulSoup(
        (built_site / language / "part1" / "first-application.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.find("link", rel="search")["href"] == "../search.html"


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_page_has_a_description_and_hreflang_alternates_to_existing_twins(built_site, language):
    for page in site.pages():
        html_file = built_site / language / f"{page}.html"
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        assert description and len(description["content"]) > 20, f"{language}/{page}.html has no description"
        assert soup.find("meta", attrs={"property": "og:title"})["content"], f"{language}/{page}.html"
        alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}
        assert set(alternates) == {html_lang(other) for other in site.LANGUAGES} | {"x-default"}, (
            f"{language}/{page}.html"
        )
        assert alternates["x-default"] == alternates[html_lang(site.SOURCE_LANGUAGE)]
        for href in alternates.values():
            assert href.startswith(LOCAL_BASE), f"{language}/{page}.html: {href} is not absolute"
            assert (built_site / href.removeprefix(LOCAL_BASE)).is_file(), f"{language}/{page}.html: {href}"


@pytest.mark.parametrize("page", site.pages())
def test_every_translated_paragraph_is_followed_by_its_english_original(built_site, page):
    chinese = article(built_site / "zh_CN" / f"{page}.html")
    english = article(built_site / "en" / f"{page}.html")
    # The English build curls quotes (smartquotes); the original inside a Chinese page keeps them straight.
    straight = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "--", "—": "---", "…": "..."})
    english_paragraphs = {" ".join(p.get_text().split()).translate(straight) for p in english.select("p")}
    for paragraph in chinese.select("p"):
        if paragraph.find_parent(class_="guide-original") or paragraph.find_parent("table"):
            continue
        if paragraph.find_parent(attrs={"data-playground": True}):
            continue  # the playground panel's own words (tools/playground.py), not a translated paragraph
        if "admonition-title" in paragraph.get("class", []):
            continue  # "Note", "警告": Sphinx's own words, not a translated paragraph
        if not CJK.search(paragraph.get_text()):
            continue
        original = paragraph.find_next_sibling()
        assert original is not None and "guide-original" in original.get("class", []), (
            f"zh_CN/{page}.html: no English original after {paragraph.get_text()[:40]!r}"
        )
        assert original["lang"] == "en"
        # The original renders exactly as the paragraph on the English page, links and all.
        text = " ".join(original.get_text().split()).translate(straight)
        assert text in english_paragraphs, f"zh_CN/{page}.html: {text[:80]!r} is not a paragraph of the English page"
    assert not english.select(".guide-original")


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_sitemap_lists_every_page_with_its_twin(built_site, language):
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = ElementTree.parse(built_site / language / "sitemap.xml").getroot()
    urls = [loc.text for loc in sitemap.findall("s:url/s:loc", namespaces)]
    expected = [f"{LOCAL_BASE}{language}/{page}.html" for page in site.pages() if page != "404"]
    assert sorted(urls) == sorted(expected)
    twins = {link.get("href") for link in sitemap.findall("s:url/x:link", namespaces)}
    for other in site.LANGUAGES:
        assert f"{LOCAL_BASE}{other}/part1/first-application.html" in twins


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_the_404_page_resolves_its_links_from_the_language_root(built_site, language):
    soup = BeautifulSoup((built_site / language / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.head.find("base")["href"] == f"/{language}/"
    # <base> must come before the first URL in the head, or that URL resolves elsewhere.
    first_url = soup.head.find(lambda tag: tag.has_attr("href") or tag.has_attr("src"))
    assert first_url.name == "base"


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_pickled_pages_hold_only_their_own_nodes_and_no_inventory(built_site, language):
    """tools/rebuild_speed.py: a translated page's pickle no longer drags the throwaway
    documents of its translations along (2.8 MB a zh_CN page, 0.1 MB an English one),
    and the environment's pickle leaves out the local inventories Sphinx rereads anyway."""
    import pickle

    from tools.build import doctrees

    folder = doctrees(language)
    with (folder / "part2" / "coroutines.doctree").open("rb") as stream:
        doctree = pickle.load(stream)
    foreign = [node for node in doctree.findall() if getattr(node, "document", None) not in (None, doctree)]
    assert not foreign, f"{len(foreign)} nodes belong to another document, e.g. {foreign[0].astext()[:60]!r}"
    with (folder / "environment.pickle").open("rb") as stream:
        environment = pickle.load(stream)
    assert environment.guide_inventories_are_local
    assert not hasattr(environment, "intersphinx_cache") and not hasattr(environment, "intersphinx_inventory")
    page = (built_site / language / "part2" / "coroutines.html").read_text(encoding="utf-8")
    assert "docs.python.org/" in page and "www.tornadoweb.org/en/stable/" in page  # both inventories still link
