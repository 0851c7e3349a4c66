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
