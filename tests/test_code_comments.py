"""The example programs on the Chinese pages: comments and docstrings in Chinese, code unchanged.

tools/code_comments.py makes the comments and docstrings of each shown program messages of
the page's catalog. These tests read the built site: on every page of the parts listed in
TRANSLATED_CODE_PARTS, each Python block of the Chinese page has the token stream of the
English block (which is the tested file, or an excerpt of it) once comments and docstrings
are set aside; each of its comments and docstrings holds Chinese; and each whole program,
as the Chinese page shows it, still compiles and, if it is a server, still starts and serves.
"""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import tokenize
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools import code_comments, site
from tools.code_comments import find_pieces, messages, translate
from tools.project import ROOT
from tools.testing import free_port

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
PAGES = [page for page in site.pages() if code_comments.is_translated_page(page)]


def python_blocks(html_file: Path) -> list[tuple[str, str]]:
    """(repository path, shown text) of each captioned Python file on a built page, in page order."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    found = []
    for wrapper in soup.select("div.literal-block-wrapper"):
        caption = wrapper.select_one(".code-block-caption code")
        pre = wrapper.select_one("div.highlight pre")
        if caption is not None and pre is not None and caption.get_text().endswith(".py"):
            found.append((caption.get_text(), pre.get_text()))
    return found


def docstring_starts(code: str) -> set[tuple[int, int]]:
    """Where the docstrings of code start: from the ast when the text parses on its own
    (dedented), else (an excerpt from the middle of a statement) from the tokens."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {token.start for token in code_comments.docstring_tokens(code_comments.tokens(code))}
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                starts.add((first.value.lineno, first.value.col_offset))
    return starts


def code_tokens(text: str) -> list[tuple[str, str]]:
    """The token stream of a program without its comments, blank lines and docstrings."""
    code = textwrap.dedent(text.strip("\n") + "\n")
    docstrings = docstring_starts(code)
    try:
        stream = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        stream = code_comments.tokens(code)  # an excerpt that stops inside a bracket: as far as it goes
    return [
        (tokenize.tok_name[token.type], token.string)
        for token in stream
        if token.type not in (tokenize.COMMENT, tokenize.NL)
        and not (token.type == tokenize.STRING and token.start in docstrings)
    ]  # fmt: skip


def pairs(built_site: Path, page: str):
    """(file, English block, Chinese block) for each Python file shown on page."""
    english = python_blocks(built_site / "en" / f"{page}.html")
    chinese = python_blocks(built_site / "zh_CN" / f"{page}.html")
    assert [path for path, _ in english] == [path for path, _ in chinese], f"{page}: the two languages show other files"
    return [(ROOT / path, en, zh) for (path, en), (_, zh) in zip(english, chinese, strict=True)]


def is_whole(path: Path, shown: str) -> bool:
    return shown.strip() == path.read_text(encoding="utf-8").strip()


def is_excerpt(path: Path, shown: str) -> bool:
    """Every line shown is a line of the file (dedented or not), in the file's order."""
    lines = iter(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return all(any(line == wanted for line in lines) for wanted in (s.strip() for s in shown.splitlines()) if wanted)


# ---------------------------------------------------------------- the built pages


def whole_file_links(html_file: Path) -> list[bool]:
    """For each captioned Python file on a page: does its caption link the whole file (an excerpt)?"""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    return [
        wrapper.select_one("a.guide-whole-file") is not None
        for wrapper in soup.select("div.literal-block-wrapper")
        if (caption := wrapper.select_one(".code-block-caption code")) is not None and caption.get_text().endswith(".py")
    ]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_a_translated_whole_file_is_still_shown_whole(built_site, page):
    """tools/listings.py tells an excerpt from the file by its text: translated comments must not fool it."""
    assert whole_file_links(built_site / "zh_CN" / f"{page}.html") == whole_file_links(
        built_site / "en" / f"{page}.html"
    )


def test_the_opted_in_parts_have_pages_with_programs():
    assert PAGES and {page.split("/")[0] for page in PAGES} == set(code_comments.TRANSLATED_CODE_PARTS)


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_page_shows_the_tested_code(built_site, page):
    """Same tokens as the tested file (or the English excerpt of it), comments and docstrings aside."""
    for path, english, chinese in pairs(built_site, page):
        assert is_whole(path, english) or is_excerpt(path, english), (
            f"{page}: the English page does not show {path.name}"
        )
        assert code_tokens(chinese) == code_tokens(english), f"{page}: {path.name} differs in code on the Chinese page"
        if is_whole(path, english):
            assert code_tokens(chinese) == code_tokens(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_the_english_page_shows_each_file_as_it_is(built_site, page):
    for path, english, _ in pairs(built_site, page):
        assert not CJK.search(english) or CJK.search(path.read_text(encoding="utf-8")), f"{page}: {path.name}"
        if not is_whole(path, english):
            continue
        assert english.strip() == path.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("page", PAGES)
def test_every_comment_and_docstring_on_the_chinese_page_is_chinese(built_site, page):
    untranslated, count = [], 0
    for path, english, chinese in pairs(built_site, page):
        shown = find_pieces(chinese)
        assert len(shown) == len(find_pieces(english)), (
            f"{page}: {path.name} shows other comments than the English page"
        )
        for piece in shown:
            count += 1
            if not CJK.search(piece.message):
                untranslated.append(f"{path.name}:{piece.start[0]}: {piece.message!r}")
    assert not untranslated, f"{page}: comments still in English:\n" + "\n".join(untranslated)
    assert count or not pairs(built_site, page), f"{page}: shows programs without a comment?"


def whole_chinese_programs(built_site: Path, page: str) -> dict[Path, str]:
    return {path: chinese for path, english, chinese in pairs(built_site, page) if is_whole(path, english)}


KEY = "a-key-for-the-test-of-the-zh-variant-0123456789"
# What the example programs read from the environment (each refuses to start without it).
ENVIRONMENT = {
    "COOKIE_SECRET": KEY,
    "COOKIE_KEYS": f"1:{KEY} 2:{KEY[::-1]}",
    "OAUTH_CLIENT_ID": "zh-variant-test",
    "OAUTH_CLIENT_SECRET": KEY,
    "NOTES_API_TOKEN": KEY,
}


def environment(code: str) -> dict[str, str]:
    """Every upper-case name in quotes that the program may read from the environment, set."""
    names = set(re.findall(r"[\"']([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[\"']", code))
    return {**os.environ, **{name: KEY for name in names}, **ENVIRONMENT}


def serves(folder: Path, program: Path, text: str) -> tuple[int | None, str]:
    """Start the program (written over its copy in folder) on a free port: the status of
    GET /, or None and the program's output if it stopped before it listened."""
    port = free_port()
    args = [sys.executable, program.name, f"--port={port}"]
    if re.search(r"define\(\s*\"db\"", text):
        args.append(f"--db={folder / 'test.sqlite3'}")
    log_file = folder / "server.log"
    with log_file.open("w") as log:
        # A session of its own: a program that forks signals its whole process group when it stops.
        process = subprocess.Popen(
            args, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=environment(text), start_new_session=True
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        return response.status, ""
                except urllib.error.HTTPError as error:
                    return error.code, ""
                except OSError:
                    if process.poll() is not None:
                        process.wait()
                        return None, log_file.read_text().replace(str(folder), "FOLDER")
                    assert time.monotonic() < deadline, f"{program.name} did not listen within 15 s"
                    time.sleep(0.2)
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop the program and any children it forked (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def is_server(code: str) -> bool:
    """The programs' convention: make_app() plus a main() that listens on --port."""
    return "def make_app" in code and bool(re.search(r"define\(\s*\"port\"", code)) and "__main__" in code


def status_of_both(path: Path, code: str, tmp_path: Path) -> tuple[int, int]:
    """GET / from the Chinese variant and from the original, each run from a copy of the
    program's folder (so that templates and static files resolve as beside the original)."""
    results = []
    for variant, text in (("zh", code), ("original", path.read_text(encoding="utf-8"))):
        folder = tmp_path / variant / path.parent.name
        if not folder.exists():
            shutil.copytree(path.parent, folder, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3*", "*.log"))
        (folder / path.name).write_text(text, encoding="utf-8")
        results.append(serves(folder, folder / path.name, text))
    (chinese, chinese_output), (original, original_output) = results
    assert original is not None, f"{path.name} did not start here:\n{original_output}"
    assert chinese is not None, f"{path.name} (zh) did not start:\n{chinese_output}"
    return chinese, original


@pytest.mark.parametrize("page", PAGES)
def test_each_whole_program_on_the_chinese_page_still_runs(built_site, page, tmp_path):
    for path, chinese in whole_chinese_programs(built_site, page).items():
        code = chinese if chinese.endswith("\n") else chinese + "\n"
        compile(code, str(path), "exec")
        if is_server(code):
            chinese, original = status_of_both(path, code, tmp_path)
            # Non-5xx, or the original's own 5xx (a page that asks an upstream which is not running).
            assert chinese == original and (chinese < 500 or original >= 500), (
                f"{page}: {path.name} (zh) GET / {chinese}"
            )


def catalog_translations(page: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with site.catalog("zh_CN", page).open("rb") as f:
        return {message.id: message.string for message in read_po(f) if message.id and message.string}


@pytest.mark.parametrize("page", PAGES)
def test_each_program_shown_in_part_also_runs_with_every_translation_of_its_page(page, tmp_path):
    """A page that shows only excerpts (the blog of Part VII) has no whole program to take from
    the built page: translate the whole file with the page's catalog instead, and run that."""
    translations = catalog_translations(page)
    shown = re.findall(r"examples/[\w/.-]+\.py", (site.DOCS_DIR / f"{page}.md").read_text(encoding="utf-8"))
    for name in sorted(set(shown)):
        path = ROOT / name
        code = translate(path.read_text(encoding="utf-8"), translations)
        compile(code, name, "exec")
        assert code_tokens(code) == code_tokens(path.read_text(encoding="utf-8"))
        if is_server(code):
            chinese, original = status_of_both(path, code, tmp_path)
            assert chinese == original and (chinese < 500 or original >= 500), (
                f"{page}: {path.name} (zh) GET / {chinese}"
            )


# ---------------------------------------------------------------- extracting and applying


SAMPLE = '''#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""A tiny server.

It says hello.
"""

import tornado.web  # noqa: F401

LIMIT = 10  # requests at once


class Hello(tornado.web.RequestHandler):
    """Answer every GET."""

    def get(self):
        # Write the greeting, then finish: the
        # client waits for it.
        self.write("Hello")  # not "# a comment"
        text = """not a docstring"""
        # ANCHOR: end
        return text
'''


def test_messages_are_comments_and_docstrings_not_pragmas_shebangs_or_strings():
    assert messages(SAMPLE) == [
        "A tiny server.\n\nIt says hello.",
        "requests at once",
        "Answer every GET.",
        "Write the greeting, then finish: the client waits for it.",
        'not "# a comment"',
    ]
    kinds = [piece.kind for piece in find_pieces(SAMPLE)]
    assert kinds == ["docstring", "inline", "docstring", "comment", "inline"]


def test_translations_go_back_in_place_and_leave_the_code_alone():
    translations = {
        "A tiny server.\n\nIt says hello.": "一个很小的服务器。\n\n它会打招呼。",
        "requests at once": "同时处理的请求数",
        "Answer every GET.": "响应每个 GET 请求。",
        "Write the greeting, then finish: the client waits for it.": "写出问候语，然后结束：客户端在等它。",
        'not "# a comment"': '不是 "# 注释"',
    }
    translated = translate(SAMPLE, translations)
    assert translated.splitlines()[:2] == SAMPLE.splitlines()[:2]  # shebang and encoding line untouched
    assert '"""一个很小的服务器。\n\n它会打招呼。\n"""' in translated
    assert "LIMIT = 10  # 同时处理的请求数\n" in translated
    assert '    """响应每个 GET 请求。"""\n' in translated
    assert "        # 写出问候语，然后结束：客户端在等它。\n        self.write" in translated
    assert 'self.write("Hello")  # 不是 "# 注释"\n' in translated
    assert "import tornado.web  # noqa: F401\n" in translated and "# ANCHOR: end\n" in translated
    assert code_tokens(translated) == code_tokens(SAMPLE)
    compile(translated, "sample.py", "exec")
    assert translate(SAMPLE, {}) == SAMPLE


def test_a_long_translation_wraps_onto_comment_lines_at_the_same_indentation():
    code = "def f():\n    # Short.\n    return 1\n"
    long = "这是一条很长的注释，" * 12 + "最后用 `make_app` 收尾。"
    translated = translate(code, {"Short.": long})
    comment_lines = [line for line in translated.splitlines() if line.lstrip().startswith("#")]
    assert len(comment_lines) > 1
    assert all(line.startswith("    # ") for line in comment_lines)
    assert all(code_comments.display_width(line) <= code_comments.WIDTH for line in comment_lines)
    assert "".join(line[len("    # ") :] for line in comment_lines).replace(" ", "") == long.replace(" ", "")
    assert not any(line[len("    # ")] in "，。：" for line in comment_lines)  # no line starts with closing punctuation
    assert translated.endswith("    return 1\n")


def test_an_excerpt_with_its_indentation_still_has_its_docstring_and_comments():
    excerpt = '    def get(self):\n        """Say hello."""\n        # Then stop.\n        self.finish()\n'
    assert messages(excerpt) == ["Say hello.", "Then stop."]
    assert translate(excerpt, {"Say hello.": "打招呼。", "Then stop.": "然后停止。"}) == (
        '    def get(self):\n        """打招呼。"""\n        # 然后停止。\n        self.finish()\n'
    )


def test_only_the_opted_in_parts_translate_their_code():
    first = code_comments.TRANSLATED_CODE_PARTS[0]
    assert code_comments.is_translated_page(f"{first}/index")
    assert not code_comments.is_translated_page("index") and not code_comments.is_translated_page("glossary")


# ---------------------------------------------------------------- both Sphinx builders, on a page of its own


def run_sphinx(source: Path, out: Path, builder: str, language: str = "en") -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sphinx", "build", "-b", builder, "-D", f"language={language}", "-W", "-q"]
    return subprocess.run([*command, str(source), str(out)], capture_output=True, text=True)


def sphinx(source: Path, out: Path, builder: str, language: str = "en") -> None:
    result = run_sphinx(source, out, builder, language)
    assert result.returncode == 0, result.stderr


def one_page_project(tmp_path: Path, program: Path, translations: dict[str, str] | None = None) -> Path:
    """A Sphinx project of one page, part3/sample, that shows program whole; with a Chinese catalog if translations."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    source = tmp_path / "src"
    if not source.exists():
        (source / "part3").mkdir(parents=True)
        (source / "conf.py").write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            "extensions = ['myst_parser', 'tools.code_comments']\n"
            "locale_dirs = ['locale']\ngettext_compact = False\n",
            encoding="utf-8",
        )
        (source / "index.md").write_text("# Index\n\n```{toctree}\npart3/sample\n```\n", encoding="utf-8")
        include = os.path.relpath(program, source / "part3")
        (source / "part3" / "sample.md").write_text(
            f"# Sample\n\nThe program:\n\n```{{literalinclude}} {include}\n:language: python\n```\n", encoding="utf-8"
        )
    if translations is not None:
        catalog = Catalog(locale="zh_CN")
        for message, translation in translations.items():
            catalog.add(message, translation)
        target = source / "locale" / "zh_CN" / "LC_MESSAGES" / "part3" / "sample.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_po(f, catalog)
    return source


def test_the_gettext_builder_extracts_the_messages_and_the_locale_transform_applies_them(tmp_path):
    """A one-page project: gettext writes the program's messages into the page's template,
    and a Chinese build shows the program with their translations, code unchanged."""
    from babel.messages.pofile import read_po

    program = site.EXAMPLES_DIR / "part3" / "long-polling" / "long_poll_chat.py"
    code = program.read_text(encoding="utf-8")
    source = one_page_project(tmp_path, program)

    sphinx(source, tmp_path / "gettext", "gettext")
    with (tmp_path / "gettext" / "part3" / "sample.pot").open("rb") as f:
        extracted = [message.id for message in read_po(f) if message.id]
    assert extracted == ["Sample", "The program:", *messages(code)]

    translations = {message: f"译文 {number}：{message}" for number, message in enumerate(messages(code))}
    # A translation that equals its message makes Sphinx mark the whole node translated: the others must still apply.
    kept = messages(code)[0]
    translations[kept] = kept
    one_page_project(tmp_path, program, translations)

    for language in ("zh_CN", "en"):
        sphinx(source, tmp_path / language, "html", language)
    shown = {
        language: BeautifulSoup((tmp_path / language / "part3" / "sample.html").read_text(encoding="utf-8"), "html.parser")
        .select_one("div.highlight pre").get_text()
        for language in ("zh_CN", "en")
    }  # fmt: skip
    assert shown["en"].strip() == code.strip()
    assert shown["zh_CN"].strip() == translate(code, translations).strip()
    assert code_tokens(shown["zh_CN"]) == code_tokens(code)
    pieces = find_pieces(shown["zh_CN"])
    assert len(pieces) == len(find_pieces(code))
    assert all(piece.message.startswith("译文") for piece in pieces if piece.message != kept)


def test_a_quote_in_a_docstring_translation_cannot_end_the_string():
    code = 'def f():\n    """Say."""\n    return \'Say.\'\n\n\ndef g():\n    \'Say.\'\n'
    for translation in ('返回 "missing"', '三个引号 """ 在中间', "它's 好", "很长的" * 40 + '"x"'):
        translated = translate(code, {"Say.": translation})
        compile(translated, "quotes.py", "exec")
        assert code_tokens(translated) == code_tokens(code)
        namespace: dict = {}
        exec(translated, namespace)
        assert namespace["f"].__doc__.replace("\n    ", "").strip() == translation.strip()
        assert namespace["g"].__doc__ == translation


def test_a_translation_that_would_change_the_code_is_refused_with_a_warning(tmp_path):
    """The build's own safety net: a translation that breaks the string (a backslash before
    the closing quotes) leaves the tested code on the page and fails the build (-W)."""
    assert code_comments.code_without_prose('"""文档"""\nx = 1  # 一\n') == code_comments.code_without_prose(
        '"""Doc."""\nx = 1\n'
    )
    assert code_comments.code_without_prose("x = 1\n") != code_comments.code_without_prose("x = 2\n")
    program = site.EXAMPLES_DIR / "part3" / "long-polling" / "long_poll_chat.py"
    docstring = next(p.message for p in find_pieces(program.read_text(encoding="utf-8")) if p.kind == "docstring")
    source = one_page_project(tmp_path, program, {docstring: "路径以反斜杠结尾：C:\\"})
    result = run_sphinx(source, tmp_path / "out", "html", "zh_CN")
    assert result.returncode != 0
    assert "changes the code of long_poll_chat.py" in result.stderr
