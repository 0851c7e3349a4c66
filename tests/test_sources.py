"""The English sources: every Python snippet is a tested example file, shown from examples/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import site

FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[\w-]+\})?\s*([\w+-]*)(.*)$")
PYTHON_LANGUAGES = {"python", "py", "python3", "pycon", "ipython", "py3"}
INCLUDE = re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{literalinclude\}\s+(\S+)", re.MULTILINE)
CODE_DIRECTIVES = {"{code-block}", "{code}", "{sourcecode}"}


def page_files() -> list[Path]:
    return sorted(site.DOCS_DIR.rglob("*.md"))


def example_programs() -> list[Path]:
    return sorted(
        path for path in site.EXAMPLES_DIR.rglob("*.py")
        if not path.name.startswith("test_") and path.name != "conftest.py"
    )  # fmt: skip


def inline_python(text: str) -> list[int]:
    """Line numbers of code blocks typed into a page in Python."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if not match:
            continue
        directive, language = match.group(2), match.group(3).lower()
        if directive in CODE_DIRECTIVES or directive is None:
            if language in PYTHON_LANGUAGES:
                lines.append(number)
        elif directive == "{eval-rst}":
            lines.append(number)  # reStructuredText could hide a code-block; the guide needs none
    return lines


@pytest.mark.parametrize("page", page_files(), ids=lambda p: str(p.relative_to(site.DOCS_DIR)))
def test_no_python_is_typed_into_a_page(page):
    found = inline_python(page.read_text(encoding="utf-8"))
    assert not found, (
        f"{page.relative_to(site.ROOT)} has Python typed inline at lines {found}: "
        "put it in a file under examples/, test it, and show it with literalinclude"
    )


def test_the_inline_python_check_catches_each_form():
    for block in ("```python", "```{code-block} python", "~~~py", "```{code} pycon", ":::{eval-rst}"):
        assert inline_python(f"Text\n\n{block}\nprint(1)\n```\n") == [3], block
    assert inline_python("```console\n$ python hello.py\n```\n") == []


@pytest.mark.parametrize("page", page_files(), ids=lambda p: str(p.relative_to(site.DOCS_DIR)))
def test_every_include_is_an_existing_file_under_examples(page):
    for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
        path = (page.parent / target).resolve()
        assert path.is_file(), f"{page.relative_to(site.ROOT)} includes {target}, which does not exist"
        assert site.EXAMPLES_DIR in path.parents, f"{page.relative_to(site.ROOT)} includes {target}, outside examples/"


def shown_files() -> set[Path]:
    shown = set()
    for page in page_files():
        for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
            shown.add((page.parent / target).resolve())
    return shown


def test_every_example_program_is_shown_on_a_page_and_tested_next_to_it():
    shown = shown_files()
    problems = []
    for program in example_programs():
        name = program.relative_to(site.ROOT)
        if program not in shown:
            problems.append(f"{name} is on no page")
        tests = list(program.parent.glob("test_*.py"))
        if not any(program.name in test.read_text(encoding="utf-8") for test in tests):
            problems.append(f"{name} is started by no test in its folder")
    assert not problems, "\n".join(problems)


def test_every_transcript_is_shown_and_replayed_by_a_test():
    shown = shown_files()
    problems = []
    for transcript in sorted(site.EXAMPLES_DIR.rglob("*.console")):
        name = transcript.relative_to(site.ROOT)
        if transcript not in shown:
            problems.append(f"{name} is on no page")
        tests = transcript.parent.glob("test_*.py")
        if not any(re.search(rf"replay\(\s*[\"']{re.escape(transcript.name)}[\"']", t.read_text()) for t in tests):
            problems.append(f"{name} is replayed by no test in its folder")
    assert not problems, "\n".join(problems)

