"""Fixtures shared by the example tests (examples/) and the checks of the site (tests/)."""

from __future__ import annotations

import pytest

from tools.browser import launch


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for one test module (see tools/browser.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
