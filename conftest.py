"""Fixtures shared by the example tests (examples/) and the checks of the site (tests/)."""

from __future__ import annotations

import pytest

from tools.browser import launch


def pytest_collection_modifyitems(config, items):
    """A test that uses the browser fixture is a browser test (`make check` leaves them out)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for one test module (see tools/browser.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
