"""The frame around each page: canonical address, og:url, last change, links to Python's docs,
and the repository links when the repository is known."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from tools import frame
from tools.languages import LANGUAGES
from tools.sphinx_guide import site_base_url


def page(built_site, language, name):
    return BeautifulSoup((built_site / language / name).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("language", LANGUAGES)
def test_canonical_and_og_url_are_the_page_address(built_site, language):
    html = page(built_site, language, "part6/nginx.html")
    address = f"{site_base_url(language)}part6/nginx.html"
    assert html.select_one('link[rel="canonical"]')["href"] == address
    assert html.select_one('meta[property="og:url"]')["content"] == address


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_last_updated_date_is_the_last_commit_of_the_page_or_its_catalog(built_site, language):
    sources = frame.page_sources("part6/nginx", language)
    day = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", *sources], capture_output=True, text=True
    ).stdout.strip()
    if not day:
        pytest.fail("the guide is built from a git checkout, and its pages have history")
    year, month, date = (int(part) for part in day.split("-"))
    shown = page(built_site, language, "part6/nginx.html").select_one(".last-updated").get_text()
    assert str(year) in shown and str(date) in shown
    if language == "zh_CN":
        assert f"{year} 年 {month} 月 {date} 日" in shown
        assert any("locale/zh_CN" in source for source in sources)


@pytest.mark.parametrize(
    "language, docs", [("en", "https://docs.python.org/3/"), ("zh_CN", "https://docs.python.org/zh-cn/3/")]
)
def test_python_names_link_to_python_docs_in_the_page_language(built_site, language, docs):
    links = [a["href"] for a in page(built_site, language, "how-do-i.html").select("a[href]")]
    assert any(link.startswith(docs + "library/asyncio") for link in links), links


def test_no_empty_general_index(built_site):
    assert not (built_site / "en" / "genindex.html").exists()


def test_two_hyphens_stay_two_hyphens_in_the_glossary(built_site):
    text = page(built_site, "en", "glossary.html").get_text()
    assert "--name=value" in text and "–name=value" not in text


@pytest.mark.parametrize(
    "given, expected",
    [
        ("https://github.com/owner/guide.git", "https://github.com/owner/guide"),
        ("git@github.com:owner/guide.git", "https://github.com/owner/guide"),
        ("/srv/checkouts/guide", None),
        ("", None),
    ],
)
def test_the_repository_address_comes_from_the_clone_url(monkeypatch, given, expected):
    monkeypatch.delenv("GUIDE_REPOSITORY_URL", raising=False)
    monkeypatch.setenv("READTHEDOCS_GIT_CLONE_URL", given)
    assert frame.repository_url() == expected


def test_edit_links_point_at_the_markdown_or_the_catalog():
    assert frame.edit_path("part6/nginx", "en") == "docs/part6/nginx.md"
    assert frame.edit_path("part6/nginx", "zh_CN") == "locale/zh_CN/LC_MESSAGES/part6/nginx.po"


def test_without_a_repository_the_page_has_no_edit_link(built_site):
    assert page(built_site, "en", "part6/nginx.html").select_one(".edit-this-page") is None


@pytest.mark.parametrize(
    "language, edited", [("en", "docs/part6/nginx.md"), ("zh_CN", "locale/zh_CN/LC_MESSAGES/part6/nginx.po")]
)
def test_with_a_repository_a_page_links_edit_view_and_feedback(monkeypatch, language, edited):
    monkeypatch.setenv("GUIDE_REPOSITORY_URL", "https://example.org/owner/guide")
    monkeypatch.delenv("READTHEDOCS_GIT_IDENTIFIER", raising=False)
    app = SimpleNamespace(
        builder=SimpleNamespace(name="html"), config=SimpleNamespace(language=language, html_baseurl="https://x/")
    )
    context = {}
    frame.add_frame(app, "part6/nginx", "page.html", context, doctree=object())
    assert context["theme_source_edit_link"] == f"https://example.org/owner/guide/edit/main/{edited}"
    assert context["theme_source_view_link"] == f"https://example.org/owner/guide/blob/main/{edited}"
    urls = [icon["url"] for icon in context["theme_footer_icons"]]
    assert urls[0] == "https://example.org/owner/guide"
    assert urls[1].startswith("https://example.org/owner/guide/issues/new?title=part6/nginx")
