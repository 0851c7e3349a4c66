"""Read the Docs: the configuration is valid, and its build works as Read the Docs runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tools import site
from tools.languages import LANGUAGE_TABLE

CONFIG = site.ROOT / ".readthedocs.yaml"


def test_configuration_validates_against_the_read_the_docs_schema():
    result = subprocess.run(
        [Path(sys.executable).parent / "check-jsonschema", "--builtin-schema", "vendor.readthedocs", str(CONFIG)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def run_job(commands: list[str], cwd: Path, env: dict[str, str]) -> None:
    for command in commands:
        result = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"`{command}` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def readthedocs_checkout(tmp_path_factory):
    """A fresh copy of the project and a fresh virtualenv with the config's install job done."""
    base = tmp_path_factory.mktemp("readthedocs")
    checkout = base / "checkout"
    site.copy_project(checkout)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", str(base)),
        "READTHEDOCS": "True",
        "READTHEDOCS_PROJECT": "tornado-guide",
        "READTHEDOCS_VERSION": "latest",
        "READTHEDOCS_VIRTUALENV_PATH": str(venv),
        "READTHEDOCS_GIT_CLONE_URL": "https://github.com/example/tornado-guide.git",
        "READTHEDOCS_GIT_IDENTIFIER": "main",
    }
    jobs = yaml.safe_load(CONFIG.read_text())["build"]["jobs"]
    run_job(jobs["install"], checkout, env)
    return checkout, env, jobs


def twin_of(row) -> str:
    """The language the switcher links first: the first other row of the table."""
    return next(other.readthedocs for other in LANGUAGE_TABLE if other is not row)


@pytest.mark.slow  # a fresh virtualenv and four builds: make test, not make check
@pytest.mark.parametrize(
    "readthedocs_language, lang_attribute, twin",
    [(row.readthedocs, row.html_lang, twin_of(row)) for row in LANGUAGE_TABLE],
)
def test_read_the_docs_build_writes_each_language(readthedocs_checkout, readthedocs_language, lang_attribute, twin):
    checkout, env, jobs = readthedocs_checkout
    output = checkout / f"_readthedocs-{readthedocs_language}"
    env = dict(env, READTHEDOCS_LANGUAGE=readthedocs_language, READTHEDOCS_OUTPUT=str(output))
    run_job(jobs["build"]["html"], checkout, env)

    page = output / "html" / "part1" / "first-application.html"
    # The playground's runtime (tools/playground.py) is written into the builder's output folder.
    for name in ("pyodide.asm.wasm", "python_stdlib.zip", "tornado.zip", "worker.mjs"):
        assert (output / "html" / "_playground" / name).is_file(), f"_playground/{name} is missing"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == lang_attribute
    # Read the Docs serves /en/latest/part1/... and /zh-cn/latest/part1/...: the switcher must follow.
    link = soup.select_one("nav.language-switcher a.language-link")
    assert link["href"] == f"../../../{twin}/latest/part1/first-application.html"
    # The frame: Pagefind's index, and the page's source to edit (its catalog when translated).
    assert (output / "html" / "_pagefind" / "pagefind.js").is_file()
    edit = soup.select_one(".edit-this-page a")["href"]
    source = (
        "docs/part1/first-application.md" if readthedocs_language == "en" else "LC_MESSAGES/part1/first-application.po"
    )
    assert edit.startswith("https://github.com/example/tornado-guide/edit/main/") and edit.endswith(source)
    run_job(jobs["build"]["epub"], checkout, env)
    assert [book.name for book in (output / "epub").iterdir()] == ["tornado-guide.epub"]
    run_job(jobs["build"]["htmlzip"], checkout, env)
    assert [copy.suffix for copy in (output / "htmlzip").iterdir()] == [".zip"]

    not_found = BeautifulSoup((output / "html" / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert not_found.find("base")["href"] == f"/{readthedocs_language}/latest/"


def test_every_format_has_a_build_job():
    config = yaml.safe_load(CONFIG.read_text())
    assert set(config["formats"]) <= set(config["build"]["jobs"]["build"]), "a format that no job builds"


@pytest.mark.slow  # XeLaTeX: in one language only (tests/test_pdf.py makes both books)
def test_read_the_docs_pdf_job_writes_one_pdf(readthedocs_checkout):
    checkout, env, jobs = readthedocs_checkout
    language = LANGUAGE_TABLE[0].readthedocs
    output = checkout / f"_readthedocs-pdf-{language}"
    run_job(jobs["build"]["pdf"], checkout, dict(env, READTHEDOCS_LANGUAGE=language, READTHEDOCS_OUTPUT=str(output)))
    assert [book.name for book in (output / "pdf").iterdir()] == ["tornado-guide.pdf"]
