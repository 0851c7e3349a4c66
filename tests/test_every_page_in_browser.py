"""Every page of both languages in a real browser: no console error, no failed request,
and no horizontal scrolling on a 375 px wide phone screen."""

from __future__ import annotations

import pytest

from tools import site
from tools.browser import record_problems

PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_page_loads_cleanly_and_fits_the_screen(site_url, browser, language, screen):
    context = browser.new_context(**screen)
    page = context.new_page()
    problems = record_problems(page)
    for name in [*site.pages(), "search"]:
        page.goto(f"{site_url}/{language}/{name}.html", wait_until="load")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(
                f"{language}/{name}.html scrolls sideways by {overflow} px at {screen['viewport']['width']} px"
            )
    context.close()
    assert not problems, "\n".join(problems)
