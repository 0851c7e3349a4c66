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
    """The programs under examples/<part>/<page>/ (files directly in examples/ are test helpers)."""
    return sorted(
        path for path in site.EXAMPLES_DIR.glob("*/*/*.py")
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
        started = re.compile(rf"[\"'/]{re.escape(program.name)}[\"']")  # the whole name, not a suffix of another
        if not any(started.search(test.read_text(encoding="utf-8")) for test in tests):
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


# ---------------------------------------------------------------- how examples are cut and named

OPTION = re.compile(r"^:([\w-]+):\s*(.*)$", re.MULTILINE)
INCLUDE_BLOCK = re.compile(r"^(`{3,}|:{3,})\{literalinclude\}\s+(\S+)\n(.*?)^\1\s*$", re.MULTILINE | re.DOTALL)
TYPED_COMMAND = re.compile(r"^\$ python3? (\S+\.py)\b", re.MULTILINE)
NAME = re.compile(r"^[a-z0-9_]+$")


def includes(page: Path) -> list[tuple[Path, dict[str, str]]]:
    """Each literalinclude of a page: the file it shows and its options."""
    found = []
    for match in INCLUDE_BLOCK.finditer(page.read_text(encoding="utf-8")):
        # MyST reads option values like YAML: a quoted value loses its quotes.
        options = {name: value.strip().strip("'\"") for name, value in OPTION.findall(match.group(3))}
        found.append(((page.parent / match.group(2)).resolve(), options))
    return found


def example_folder(page: Path) -> Path:
    """docs/<part>/<page>.md shows the examples of examples/<part>/<page>/."""
    return site.EXAMPLES_DIR / page.relative_to(site.DOCS_DIR).with_suffix("")


@pytest.mark.parametrize("page", page_files(), ids=lambda p: str(p.relative_to(site.DOCS_DIR)))
def test_excerpts_are_cut_by_name_or_anchor_never_by_line_number(page):
    problems = []
    for path, options in includes(page):
        for option in ("lines", "emphasize-lines"):
            if option in options:
                problems.append(
                    f"{path.name} :{option}: {options[option]} (use :pyobject: or :start-after:/:end-before:)"
                )
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for option in ("start-after", "end-before"):
            if option in options and options[option] not in text:
                problems.append(f"{path.name} has no anchor {options[option]!r} (:{option}:)")
    assert not problems, f"{page.relative_to(site.ROOT)}: " + "; ".join(problems)


def test_the_excerpt_check_reads_options():
    page = "```{literalinclude} x.py\n:lines: 3-5\n:start-after: # ANCHOR: a\n```\n"
    match = INCLUDE_BLOCK.search(page)
    assert dict(OPTION.findall(match.group(3))) == {"lines": "3-5", "start-after": "# ANCHOR: a"}


# The one exception to the page-to-folder rule, with its reason.
SHOWN_ELSEWHERE = {
    ("part6/testing.md", "examples/conftest.py"): "the testing page shows the guide's own live-server fixture",
}


@pytest.mark.parametrize("page", page_files(), ids=lambda p: str(p.relative_to(site.DOCS_DIR)))
def test_a_page_shows_the_examples_of_its_own_folder(page):
    folder = example_folder(page)
    name = str(page.relative_to(site.DOCS_DIR))
    strays = [
        str(path.relative_to(site.ROOT)) for path, _ in includes(page)
        if folder not in path.parents and (name, str(path.relative_to(site.ROOT))) not in SHOWN_ELSEWHERE
    ]  # fmt: skip
    assert not strays, (
        f"{page.relative_to(site.ROOT)} shows {strays}; its examples belong in {folder.relative_to(site.ROOT)}/"
    )


@pytest.mark.parametrize("page", page_files(), ids=lambda p: str(p.relative_to(site.DOCS_DIR)))
def test_commands_typed_on_a_page_name_files_that_exist(page):
    texts = [page.read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path, _ in includes(page) if path.suffix == ".console"]
    missing = [name for text in texts for name in TYPED_COMMAND.findall(text) if not (site.ROOT / name).is_file()]
    assert not missing, f"{page.relative_to(site.ROOT)} tells readers to run {missing}, which do not exist"


def test_example_folders_follow_the_pages():
    pages = {example_folder(page) for page in page_files()}
    folders = {path.parent for path in site.EXAMPLES_DIR.glob("*/*/*") if path.is_file()}
    orphans = sorted(str(folder.relative_to(site.ROOT)) for folder in folders - pages)
    assert not orphans, f"example folders without a page of the same name: {orphans}"


def example_folders() -> list[Path]:
    return sorted({path.parent for path in site.EXAMPLES_DIR.glob("*/*/*") if path.is_file()})


# Folders of a page about testing, whose tests check another folder's program, with the reason.
TESTS_OF_ANOTHER_FOLDER = {
    "part7/end-to-end": "the page tests the blog of part7/authors the way its users use it",
}


@pytest.mark.parametrize("folder", example_folders(), ids=lambda p: str(p.relative_to(site.EXAMPLES_DIR)))
def test_tests_and_transcripts_are_named_after_what_they_check(folder):
    """test_<file>[_<aspect>].py after a program or configuration file of the folder;
    <program>[-<case>].console after the program the transcript runs, the case in dashes."""
    files = {path.stem for path in folder.iterdir() if path.is_file() and not path.name.startswith("test_")}
    programs = {path.stem for path in folder.glob("*.py") if not path.name.startswith("test_")} - {"conftest"}
    problems = []
    for test in folder.glob("test_*.py"):
        if str(folder.relative_to(site.EXAMPLES_DIR)) in TESTS_OF_ANOTHER_FOLDER:
            break
        stem = test.stem.removeprefix("test_")
        if not any(stem == name or stem.startswith(name + "_") for name in files):
            problems.append(f"{test.name}: name it test_<file>.py after what it tests ({sorted(files)})")
    for transcript in folder.glob("*.console"):
        program, _, case = transcript.stem.partition("-")
        if program not in programs or not re.fullmatch(r"[a-z0-9-]*", case):
            problems.append(f"{transcript.name}: name it <program>[-<case>].console ({sorted(programs)})")
    assert not problems, f"{folder.relative_to(site.ROOT)}: " + "; ".join(sorted(problems))
