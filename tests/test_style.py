"""The code and the English are kept clean by tools, configured in pyproject.toml:
ruff (lint and format) and codespell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools.project import ROOT

BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True)


def test_ruff_finds_nothing_to_lint():
    result = run("ruff", "check", "--no-fix", ".")
    assert result.returncode == 0, f"fix with `.venv/bin/ruff check --fix .`:\n{result.stdout}{result.stderr}"


def test_every_python_file_is_formatted():
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, f"format with `.venv/bin/ruff format .`:\n{result.stdout}{result.stderr}"


def test_codespell_finds_no_misspelling():
    result = run("codespell", ".")
    assert result.returncode == 0, f"misspellings (fix them, or add a real word to pyproject.toml):\n{result.stdout}"


MISSPELLED = "Reci" + "eve the request.\n"  # spelled out here, codespell would flag this file


@pytest.mark.parametrize("text", [MISSPELLED, "import os\n"])
def test_the_tools_catch_what_they_should(tmp_path, text):
    """Each tool really runs with the project's settings: a misspelling and an unused import fail."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    sample = tmp_path / ("sample.md" if text == MISSPELLED else "sample.py")
    sample.write_text(text)
    tool = ("codespell", str(sample)) if sample.suffix == ".md" else ("ruff", "check", "--no-fix", str(sample))
    assert run(*tool, cwd=tmp_path).returncode != 0
