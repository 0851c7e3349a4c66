import re

from playwright.sync_api import expect


def favicon(url):
    """A browser asks for /favicon.ico by itself; the example has none, and that is fine."""
    return url.endswith("/favicon.ico")


def test_the_modules_javascript_works_in_a_browser(start_example, browser):
    server = start_example("book_cards.py")
    problems = []
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda msg: msg.type == "error" and not favicon(msg.location["url"]) and problems.append(msg.text),
        )
        page.on(
            "response",
            lambda res: res.status >= 400 and not favicon(res.url) and problems.append(f"{res.status} {res.url}"),
        )
        page.goto(server.url + "/")

        # relative-date.js rewrote every date and kept the original as a tooltip.
        dates = page.locator("time.relative-date")
        expect(dates).to_have_count(3)
        expect(dates.first).to_have_attribute("title", "14 Mar 2021")
        for date in dates.all():
            assert re.fullmatch(r"\d+ (years|months|days) ago|last (year|month)", date.inner_text())

        # The embedded script toggles the blurb of the card whose button was clicked.
        cards = page.locator("article.book-card")
        expect(cards.nth(1).locator(".blurb")).to_be_hidden()
        cards.nth(1).locator("button").click()
        expect(cards.nth(1).locator(".blurb")).to_be_visible()
        expect(cards.nth(1).locator("button")).to_have_text("Hide blurb")
        expect(cards.nth(0).locator(".blurb")).to_be_hidden()
    finally:
        context.close()
    assert problems == []
