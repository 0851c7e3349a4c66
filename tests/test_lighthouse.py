"""Lighthouse on a sample of pages per language, desktop and mobile, against budgets.

Lighthouse comes from npm (package.json; the Makefile installs it with `npm ci`) and drives
Debian's Chromium. Scores vary on a busy 2-core machine, and only ever downwards (a loaded
machine makes a page look slower, never faster): a page whose first run meets every budget
passes on it; otherwise each score is the median of three runs. The scores go into
_build/reports/lighthouse.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess

import pytest

from tools import site
from tools.browser import CHROMIUM, CHROMIUM_FLAGS

NODE_BIN = site.ROOT / "node_modules" / ".bin"
REPORT = site.BUILD_DIR / "reports" / "lighthouse.md"

# In each language: the front page, and the page with the longest "On this page" list.
LIGHTHOUSE_PAGES = ["index", "part3/request-handlers"]
LIGHTHOUSE_RUNS = 3  # at most, for a page whose first run misses a budget
BUDGETS = {
    "desktop": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
    "mobile": {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100},
}
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1200)]


def lighthouse(url: str, preset: str, output) -> dict[str, int]:
    command = [
        str(NODE_BIN / "lighthouse"), url, "--quiet", "--output=json", f"--output-path={output}",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_FLAGS])}",
    ]  # fmt: skip
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, env=dict(os.environ, CHROME_PATH=CHROMIUM), check=True, capture_output=True, timeout=180)
    categories = json.loads(output.read_text())["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


@pytest.fixture(scope="module")
def lighthouse_scores(site_url, tmp_path_factory):
    """The score of each category (one run, or the median of three), per language, page and preset; written to a report."""
    folder = tmp_path_factory.mktemp("lighthouse")
    scores = {}
    for language in site.LANGUAGES:
        for page in LIGHTHOUSE_PAGES:
            for preset in BUDGETS:
                url = f"{site_url}/{language}/{page}.html"
                runs = [lighthouse(url, preset, folder / "run-0.json")]
                if any(score < BUDGETS[preset][category] for category, score in runs[0].items()):
                    runs += [lighthouse(url, preset, folder / f"run-{n}.json") for n in range(1, LIGHTHOUSE_RUNS)]
                scores[language, page, preset] = {
                    category: statistics.median(run[category] for run in runs) for category in runs[0]
                }
    write_report(scores)
    return scores


def write_report(scores) -> None:
    lines = [
        "# Lighthouse scores",
        "",
        "Lighthouse on the built site, served locally with compression: one run per page and preset,",
        f"or the median of {LIGHTHOUSE_RUNS} when the first missed a budget.",
        "",
        "| language | page | preset | performance | accessibility | best practices | SEO |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (language, page, preset), categories in scores.items():
        values = " | ".join(f"{categories[name]:.0f}" for name in BUDGETS[preset])
        lines.append(f"| {language} | {page} | {preset} | {values} |")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("preset", BUDGETS)
@pytest.mark.parametrize("language", site.LANGUAGES)
def test_lighthouse_scores_meet_the_budgets(lighthouse_scores, language, preset):
    misses = [
        f"{page} {category}: {score:.0f} < {BUDGETS[preset][category]}"
        for (lang, page, which), categories in lighthouse_scores.items()
        if lang == language and which == preset
        for category, score in categories.items()
        if score < BUDGETS[preset][category]
    ]
    assert not misses, f"{language} {preset} below budget (see {REPORT}):\n" + "\n".join(misses)
