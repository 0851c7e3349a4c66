"""The Nu HTML Checker (npm vnu-jar, installed by the Makefile) finds no error on any page."""

from __future__ import annotations

import subprocess

import pytest

from tools import site

pytestmark = pytest.mark.slow  # the Nu HTML Checker: make test, not make check

VNU_JAR = site.ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_finds_no_error_on_any_page(built_site):
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run make test, which installs it with npm ci"
    result = subprocess.run(
        # The checker needs a larger thread stack than Java's default for the HTML schema.
        ["java", "-Xss16m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html",
         *(str(built_site / language) for language in site.LANGUAGES)],
        capture_output=True, text=True,
    )  # fmt: skip
    report = (result.stdout + result.stderr).replace(f"file:{built_site}/", "")
    assert result.returncode == 0 and not report.strip(), report


def test_the_checker_reports_an_error(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div>x</p></body></html>')
    result = subprocess.run(
        ["java", "-Xss16m", "-jar", str(VNU_JAR), "--errors-only", str(broken)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "error" in result.stderr
