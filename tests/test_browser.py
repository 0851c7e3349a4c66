"""The site in a real browser: Debian's Chromium, driven by Playwright, over real HTTP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tools.browser import record_problems

# A search per chapter in each language: a term the chapter teaches, and its page.
SEARCHES = [
    ("en", "asynchronous", "part1/what-is-tornado"),
    ("zh_CN", "异步", "part1/what-is-tornado"),
    ("en", "coroutine", "part2/coroutines"),
    ("zh_CN", "协程", "part2/coroutines"),
    ("en", "crawler", "part2/queues"),
    ("zh_CN", "爬虫", "part2/queues"),
    ("en", "handshake", "part3/websockets"),
    ("zh_CN", "握手", "part3/websockets"),
    ("en", "autoescaping", "part4/templates"),
    ("zh_CN", "自动转义", "part4/templates"),
    ("en", "forgery", "part5/xsrf"),
    ("zh_CN", "跨站请求伪造", "part5/xsrf"),
    ("en", "supervisord", "part6/processes"),
    ("zh_CN", "反向代理", "part6/nginx"),
    ("en", "throughput", "part6/performance"),
    ("zh_CN", "调试模式", "part6/debug-mode"),
    ("en", "Atom", "part7/first-pages"),
    ("zh_CN", "数据访问层", "part7/first-pages"),
    ("en", "decorator", "part8/old-idioms"),
    ("zh_CN", "装饰器", "part8/old-idioms"),
]


@pytest.fixture
def page(browser, request):
    """A fresh page that records console errors and failed requests; the test fails on any."""
    context = browser.new_context(**getattr(request, "param", {}))
    page = context.new_page()
    problems = record_problems(page)
    yield page
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language, term, expected", SEARCHES)
def test_search_finds_the_chapter_that_teaches_a_term(site_url, page: Page, language, term, expected):
    page.goto(f"{site_url}/{language}/search.html?q={term}")
    # The search page (docs/_static/search.js) marks the document once the results are listed.
    page.wait_for_selector("html[data-search-done]", timeout=15_000)
    hrefs = [link.get_attribute("href") for link in page.locator("#guide-search-results > li > a").all()]
    assert any(href.split("?")[0].split("#")[0].endswith(f"{expected}.html") for href in hrefs), (
        f"{term!r} found {hrefs}"
    )


@pytest.mark.parametrize(
    "start, twin",
    [("en/part1/first-application.html", "zh_CN/part1/first-application.html"),
     ("zh_CN/part1/index.html", "en/part1/index.html")],
)  # fmt: skip
def test_language_switch_lands_on_the_twin_page(site_url, page: Page, start, twin):
    page.goto(f"{site_url}/{start}")
    page.locator("nav.language-switcher a.language-link").first.click()
    expect(page).to_have_url(f"{site_url}/{twin}")


@pytest.mark.parametrize("page", [{"permissions": ["clipboard-read", "clipboard-write"]}], indirect=True)
def test_copy_button_copies_the_command_without_its_prompt(site_url, page: Page):
    page.goto(f"{site_url}/en/part1/first-application.html")
    block = page.locator("div.highlight-console", has_text="$ curl").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl http://localhost:8888/"), copied
    assert "$" not in copied and "Hello" not in copied, copied


@pytest.mark.parametrize(
    "page, landing",
    [({"locale": "zh-CN"}, "zh_CN/index.html"), ({"locale": "en-US"}, "en/index.html"),
     ({"locale": "fr-FR"}, "en/index.html")],
    indirect=["page"],
)  # fmt: skip
def test_the_root_sends_each_reader_to_their_language(site_url, page: Page, landing):
    page.goto(f"{site_url}/")
    expect(page).to_have_url(f"{site_url}/{landing}")


def test_a_reader_can_show_the_english_original_and_the_choice_is_remembered(site_url, page: Page):
    page.goto(f"{site_url}/zh_CN/part1/what-is-tornado.html")
    original = page.locator(".guide-original").first
    expect(original).to_be_hidden()
    page.locator("button.original-toggle").click()
    expect(original).to_be_visible()
    expect(original).to_contain_text("Tornado is two things in one package")

    page.goto(f"{site_url}/zh_CN/part1/first-application.html")
    expect(page.locator(".guide-original").first).to_be_visible()
    page.locator("button.original-toggle").click()
    expect(page.locator(".guide-original").first).to_be_hidden()

    page.goto(f"{site_url}/en/part1/first-application.html")
    expect(page.locator("button.original-toggle")).to_have_count(0)


@pytest.mark.parametrize("page", [{"permissions": ["clipboard-read", "clipboard-write"]}], indirect=True)
def test_tabs_switch_and_the_copy_button_drops_a_windows_prompt(site_url, page: Page):
    page.goto(f"{site_url}/zh_CN/part1/first-application.html")
    tabs = page.locator(".sd-tab-set").first
    posix, windows = tabs.locator(".sd-tab-content").nth(0), tabs.locator(".sd-tab-content").nth(1)
    expect(posix).to_be_visible()
    expect(windows).to_be_hidden()
    tabs.locator("label", has_text="Windows").click()
    expect(windows).to_be_visible()
    expect(posix).to_be_hidden()
    windows.hover()
    windows.locator("button.copybtn").click()
    assert page.evaluate("navigator.clipboard.readText()") == "py -m venv .venv\n.venv\\Scripts\\activate"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_collapsed_parts_of_the_navigation_open_and_close(site_url, page: Page, language):
    page.goto(f"{site_url}/{language}/part1/first-application.html")
    part2 = page.locator(".sidebar-tree li.toctree-l1.has-children", has=page.locator('a[href="../part2/index.html"]'))
    chapter = part2.locator('a[href="../part2/coroutines.html"]')
    expect(chapter).to_be_hidden()
    part2.locator("label").click()
    expect(chapter).to_be_visible()
    part2.locator("label").click()
    expect(chapter).to_be_hidden()
