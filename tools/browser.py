"""The one way tests start a browser: Debian's Chromium, headless, driven by Playwright.

from playwright.sync_api import sync_playwright
from tools.browser import launch

with sync_playwright() as playwright:
    browser = launch(playwright)
"""

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download does not work here, and the machine has no
# network beyond loopback: keep Chromium from calling home.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def record_problems(page) -> list[str]:
    """Collect what a reader would see go wrong on a page: console errors, script errors,
    failed requests and HTTP errors. A request aborted because the page navigated away
    (a redirect, or the next page of a sweep) is no failure."""
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"{page.url}: console: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error: {error}"))
    page.on(
        "requestfailed",
        lambda req: (
            req.failure != "net::ERR_ABORTED" and problems.append(f"{page.url}: failed request {req.url} {req.failure}")
        ),
    )
    page.on("response", lambda res: res.status >= 400 and problems.append(f"{page.url}: HTTP {res.status} {res.url}"))
    return problems
