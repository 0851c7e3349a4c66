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


def test_wrapping_keeps_the_space_between_chinese_and_latin_words():
    text = "这个程序运行 numprocs 份；%(process_num)s 从 numprocs_start 开始递增，所以各份分别监听 8001、8002 端口。"
    for width in range(30, 100):
        lines = code_comments.wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), width
        assert all(line in text for line in lines), (width, lines)  # no space lost or added inside a line
        assert all(code_comments.display_width(line) <= width for line in lines), width


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


# ---------------------------------------------------------------- listings in other languages than Python

NGINX_SAMPLE = """\
# Top: the whole file.
events {
    # One message: two lines
    # at one indentation.
    worker_connections 1024;  # after code
}
http {
    return 200 "a # in quotes"; # not the end
    add_header X-Tag 'b#c' always;
    set $hash a#b;
    #    listen 80;
}
"""
INI_SAMPLE = """\
; supervisord.conf: a program.
[program:x]
# a hash comment too
command = python x.py --port=%(process_num)s ; after a value
url = unix:///tmp/x.sock;not-a-comment
"""
JAVASCRIPT_SAMPLE = """\
// Two lines of
// one message.
const url = `${scheme}//${location.host}/chat`;  // after code
const text = "http://example.com // not a comment";
const pattern = /^\\/\\/[a-z]+/;  /* enclosed */
const half = total / 2;  // divides
const nested = `a ${`b // c`} d`;
// ANCHOR: start
"""
MARKUP_SAMPLE = """\
{# A template comment. #}
<link rel="icon" href="data:,">  <!-- after a tag -->
<p>{{ "{# not a comment #}" }} and {% if x %}<!-- in the page -->{% end %}</p>
<script>
  // In a script.
  const socket = new WebSocket(`${scheme}//${location.host}/chat`);
</script>
"""


def found(text: str, grammar: str) -> list[tuple[str, str]]:
    return [(piece.kind, piece.message) for piece in find_pieces(text, grammar)]


def test_each_grammar_finds_exactly_the_comments_and_no_marker_inside_a_string():
    assert found(NGINX_SAMPLE, "nginx") == [
        ("comment", "Top: the whole file."),
        ("comment", "One message: two lines at one indentation."),
        ("inline", "after code"),
        ("inline", "not the end"),
    ]  # "#    listen 80;" reads as code set aside, and a#b is a word
    assert found(INI_SAMPLE, "ini") == [
        ("comment", "supervisord.conf: a program."),
        ("comment", "a hash comment too"),
        ("inline", "after a value"),
    ]
    assert found(JAVASCRIPT_SAMPLE, "javascript") == [
        ("comment", "Two lines of one message."),
        ("inline", "after code"),
        ("enclosed", "enclosed"),
        ("inline", "divides"),
    ]
    assert found(MARKUP_SAMPLE, "markup") == [
        ("enclosed", "A template comment."),
        ("enclosed", "after a tag"),
        ("enclosed", "in the page"),
        ("comment", "In a script."),
    ]
    assert found("Hello {# a comment #} <!-- text of an email -->\n", "template") == [("enclosed", "a comment")]


def test_translated_comments_keep_their_markers_and_indentation_and_leave_the_code_alone():
    for text, grammar in (
        (NGINX_SAMPLE, "nginx"), (INI_SAMPLE, "ini"), (JAVASCRIPT_SAMPLE, "javascript"), (MARKUP_SAMPLE, "markup"),
    ):  # fmt: skip
        translations = {message: "很长的中文注释，" * 8 + "到此为止。" for message in messages(text, grammar)}
        translated = translate(text, translations, grammar)
        assert code_comments.code_without_prose(translated, grammar) == code_comments.code_without_prose(text, grammar)
        assert strip_comments(translated, grammar) == strip_comments(text, grammar)
        assert [piece.message.replace(" ", "") for piece in find_pieces(translated, grammar)] == [
            translations[piece.message].replace(" ", "") for piece in find_pieces(text, grammar)
        ], grammar
    nginx = translate(NGINX_SAMPLE, {"One message: two lines at one indentation.": "一条消息，" * 12}, "nginx")
    block = [line for line in nginx.splitlines() if "一条消息" in line]
    assert len(block) == 2 and all(line.startswith("    # ") for line in block)
    assert all(code_comments.display_width(line) <= code_comments.WIDTH for line in block)
    markup = translate(MARKUP_SAMPLE, {"after a tag": "标签之后", "In a script.": "在脚本中。"}, "markup")
    assert '<link rel="icon" href="data:,">  <!-- 标签之后 -->\n' in markup and "\n  // 在脚本中。\n" in markup


def test_the_grammar_comes_from_the_language_of_the_block_or_the_file():
    examples = site.EXAMPLES_DIR
    assert code_comments.grammar_of(examples / "part6/nginx/nginx.conf", "nginx") == "nginx"
    assert code_comments.grammar_of(examples / "part6/processes/supervisord.conf", "ini") == "ini"
    assert code_comments.grammar_of(examples / "part1/command-line-options/settings.conf", "python") == "python"
    assert code_comments.grammar_of(examples / "part3/websockets/chat.html", "html") == "markup"
    assert code_comments.grammar_of(examples / "part3/websockets/chat.html", "javascript") == "javascript"
    assert code_comments.grammar_of(examples / "part4/templates/templates/books.html", "html+jinja") == "markup"
    assert code_comments.grammar_of(examples / "part4/templates/templates/welcome.txt", "jinja") == "template"
    assert code_comments.grammar_of(examples / "part8/old-idioms/old_idioms.txt", "text") == "python"
    for transcript, language in (("part6/testing/greeting.console", "console"), ("x/photo.po", "po")):
        assert code_comments.grammar_of(examples / transcript, language) is None


# Set comments aside, independently of tools/code_comments.py: plain patterns, enough for the shown files.
STRING_OR_NGINX_COMMENT = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|(?:^|(?<=[\s;{}]))#[^\n]*""", re.M)
INI_COMMENT = re.compile(r"^\s*[;#].*$|\s[;#].*$", re.M)
STRING_OR_JS_COMMENT = re.compile(
    r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|//[^\n]*|/\*.*?\*/""", re.S
)
SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.S | re.I)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def strings_only(match: re.Match) -> str:
    """A quoted string stays, a comment goes."""
    return match.group(1) or ""


def strip_comments(text: str, grammar: str) -> list:
    """The text without comments: Python's tokens, or lines with whitespace normalised."""
    if grammar == "python":
        return code_tokens(text)
    if grammar == "nginx":
        text = STRING_OR_NGINX_COMMENT.sub(strings_only, text)
    elif grammar == "ini":
        text = INI_COMMENT.sub("", text)
    elif grammar == "javascript":
        text = STRING_OR_JS_COMMENT.sub(strings_only, text)
    else:
        if grammar == "markup":
            text = SCRIPT.sub(lambda m: m[1] + STRING_OR_JS_COMMENT.sub(strings_only, m[2]) + m[3], text)
            text = HTML_COMMENT.sub("", TEMPLATE_COMMENT.sub("", text))
        text = TEMPLATE_COMMENT.sub("", text)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def other_listings(html_file: Path) -> list[tuple[Path, str, str]]:
    """(file, comment grammar, shown text) of each captioned example file on a built page
    that is not a .py file but has a comment grammar (a configuration, a script, a template)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    found = []
    for wrapper in soup.select("div.literal-block-wrapper"):
        caption = wrapper.select_one(".code-block-caption code")
        highlight = wrapper.select_one("div[class*='highlight-']")
        if caption is None or highlight is None or caption.get_text().endswith(".py"):
            continue
        language = next(name[len("highlight-") :] for name in highlight["class"] if name.startswith("highlight-"))
        path = ROOT / caption.get_text()
        grammar = code_comments.grammar_of(path, language)
        if grammar is not None:
            found.append((path, grammar, highlight.select_one("pre").get_text()))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_page_shows_the_tested_configurations_scripts_and_templates(built_site, page):
    """Every listing that is not a .py file: once comments are set aside, the Chinese page shows
    the text of the English page (the tested file or an excerpt of it); each comment is Chinese."""
    english = other_listings(built_site / "en" / f"{page}.html")
    chinese = other_listings(built_site / "zh_CN" / f"{page}.html")
    assert [(path, grammar) for path, grammar, _ in chinese] == [(path, grammar) for path, grammar, _ in english]
    untranslated = []
    for (path, grammar, en), (_, _, zh) in zip(english, chinese, strict=True):
        assert is_whole(path, en) or is_excerpt(path, en), f"{page}: the English page does not show {path.name}"
        assert strip_comments(zh, grammar) == strip_comments(en, grammar), (
            f"{page}: {path.name} differs on the Chinese page"
        )
        assert len(find_pieces(zh, grammar)) == len(find_pieces(en, grammar)), f"{page}: {path.name}"
        untranslated += [f"{path.name}: {p.message!r}" for p in find_pieces(zh, grammar) if not CJK.search(p.message)]
    assert not untranslated, f"{page}: comments still in English:\n" + "\n".join(untranslated)


def test_the_non_python_listings_with_comments_are_all_found():
    """The files this part of the tests is about: each is shown, and has the comments it had when it was written."""
    counts = {}
    for page in PAGES:
        for name, language in shown_files(page).items():
            grammar = code_comments.grammar_of(ROOT / name, language)
            if grammar and not name.endswith(".py"):
                counts[name] = len(find_pieces((ROOT / name).read_text(encoding="utf-8"), grammar))
    assert {name: count for name, count in counts.items() if count} == {
        "examples/part1/command-line-options/settings.conf": 1,
        "examples/part3/websockets/chat.html": 4,
        "examples/part4/templates/templates/books.html": 1,
        "examples/part4/templates/templates/comment.html": 1,
        "examples/part4/templates/templates/unescaped.html": 1,
        "examples/part4/ui-modules/static/relative-date.js": 1,
        "examples/part5/xsrf/static/notes.js": 1,
        "examples/part6/nginx/nginx.conf": 15,
        "examples/part6/processes/supervisord.conf": 6,
        "examples/part8/old-idioms/old_idioms.txt": 3,
    }


# ---------------------------------------------------------------- the Chinese variants still work

LITERALINCLUDE = re.compile(r"```\{literalinclude\} \.\./\.\./(examples/\S+)\n((?::[\w-]+:.*\n)*)")


def shown_files(page: str) -> dict[str, str]:
    """Each example file that page shows, with the language of its first listing."""
    shown: dict[str, str] = {}
    for name, options in LITERALINCLUDE.findall((site.DOCS_DIR / f"{page}.md").read_text(encoding="utf-8")):
        language = re.search(r"^:language: (\S+)", options, re.M)
        shown.setdefault(name, language.group(1) if language else "")
    return shown


def chinese_variant(page: str, name: str) -> tuple[str, str]:
    """(the file, the file as the page's catalog translates it) for a file that page shows."""
    path = ROOT / name
    grammar = code_comments.grammar_of(path, shown_files(page)[name])
    original = path.read_text(encoding="utf-8")
    chinese = translate(original, catalog_translations(page), grammar)
    assert chinese != original and CJK.search(chinese), f"{name}: no comment translated"
    assert strip_comments(chinese, grammar) == strip_comments(original, grammar)
    return original, chinese


def nginx_checks(conf: str, folder: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on conf, placed as examples/part6/nginx/test_nginx.py places it: its run and
    TLS folders and its static folder in folder, its ports free ones on the loopback."""
    folder.mkdir()
    (folder / "static").mkdir()
    tls = folder / "tls"
    tls.mkdir()
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-keyout", tls / "key.pem", "-out", tls / "cert.pem"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    conf = conf.replace("/srv/guide/examples/part6/nginx/static/", f"{folder}/static/")
    conf = conf.replace("/srv/guide/run", str(folder)).replace("/srv/guide/tls", str(tls))
    for port in ("8080", "8443"):
        conf = conf.replace(f"listen {port}", f"listen 127.0.0.1:{free_port()}")
    assert "/srv/guide" not in conf
    (folder / "nginx.conf").write_text(conf, encoding="utf-8")
    command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr", "-t"]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"), reason="needs nginx and openssl")
def test_the_chinese_nginx_conf_passes_nginx_t(tmp_path):
    original, chinese = chinese_variant("part6/nginx", "examples/part6/nginx/nginx.conf")
    for name, conf in (("original", original), ("zh", chinese)):
        checked = nginx_checks(conf, tmp_path / name)
        assert checked.returncode == 0 and "test is successful" in checked.stderr, f"{name}: {checked.stderr}"


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_the_chinese_scripts_pass_node_check(tmp_path):
    scripts = {
        "notes.js": chinese_variant("part5/xsrf", "examples/part5/xsrf/static/notes.js")[1],
        "relative-date.js": chinese_variant("part4/ui-modules", "examples/part4/ui-modules/static/relative-date.js")[1],
        "chat.js": SCRIPT.search(chinese_variant("part3/websockets", "examples/part3/websockets/chat.html")[1])[2],
    }
    assert "// 主机和端口" in scripts["chat.js"]
    for name, script in scripts.items():
        (tmp_path / name).write_text(script, encoding="utf-8")
        checked = subprocess.run(["node", "--check", str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, f"{name}: {checked.stderr}"


LINE_MARK = re.compile(r"  # [\w./-]+:\d+$", re.M)  # where a line of generated code comes from in the template


def test_the_chinese_templates_compile_to_the_code_of_the_originals(tmp_path):
    """Template comments leave no trace in the compiled template: the Chinese variant compiles
    to the same Python code (apart from the template line each line of it comes from)."""
    import tornado.template

    checked = []
    for page in PAGES:
        for name, language in shown_files(page).items():
            path = ROOT / name
            example = path.relative_to(site.EXAMPLES_DIR).parts[:2]  # ("part4", "templates")
            if code_comments.grammar_of(path, language) not in ("markup", "template") or "templates" not in name:
                continue
            if not messages(path.read_text(encoding="utf-8"), "markup"):
                continue
            root = site.EXAMPLES_DIR.joinpath(*example, "templates")
            copy = tmp_path.joinpath(*example)
            if not copy.exists():  # the whole folder, for the templates a template extends or includes
                shutil.copytree(root, copy)
            template = path.relative_to(root).as_posix()
            (copy / template).write_text(chinese_variant(page, name)[1], encoding="utf-8")
            compiled = [
                LINE_MARK.sub("", tornado.template.Loader(str(folder)).load(template).code) for folder in (root, copy)
            ]
            assert compiled[0] == compiled[1], name
            checked.append(path.name)
    assert sorted(checked) == ["books.html", "comment.html", "unescaped.html"]


def test_the_chinese_supervisord_conf_reads_the_same_with_supervisords_own_parser():
    from supervisor.options import UnhosedConfigParser

    read = {}
    variants = chinese_variant("part6/processes", "examples/part6/processes/supervisord.conf")
    for variant, text in zip(("en", "zh"), variants, strict=True):
        parser = UnhosedConfigParser()
        parser.read_string(text)
        read[variant] = {section: dict(parser.items(section)) for section in parser.sections()}
    assert read["zh"] == read["en"] and read["en"]["program:tornado"]["numprocs"] == "4"


def test_the_chinese_settings_conf_sets_the_same_options():
    """tornado.options.parse_config_file runs the file as Python: the same names, the same values."""
    original, chinese = chinese_variant(
        "part1/command-line-options", "examples/part1/command-line-options/settings.conf"
    )
    namespaces = [{}, {}]
    for text, namespace in zip((original, chinese), namespaces, strict=True):
        exec(compile(text, "settings.conf", "exec"), namespace)
        namespace.pop("__builtins__")
    assert namespaces[0] == namespaces[1] and namespaces[0]["port"] == 8000


# ---------------------------------------------------------------- whole-file pages


def whole_file_pages(built_site: Path, language: str) -> dict[Path, str]:
    """Each whole-file page of a language: the example file it shows, and the code as shown."""
    shown = {}
    folder = built_site / language / "_examples"
    for page in sorted(folder.rglob("*.html")):
        example = site.EXAMPLES_DIR / page.relative_to(folder).with_suffix("")
        if example.is_file():  # a page left over by an older build names a file gone since
            code = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("td.code pre")
            shown[example] = code.get_text()
    return shown


def test_whole_file_pages_show_chinese_comments_around_the_tested_code(built_site):
    """A Chinese whole-file page shows the tested file, with every comment and docstring in Chinese
    (through the pages' catalogs and _examples.po), and a Python file still compiles."""
    english = whole_file_pages(built_site, "en")
    chinese = whole_file_pages(built_site, "zh_CN")
    assert set(chinese) == set(english) and len(chinese) >= 20
    problems = []
    for example, shown in chinese.items():
        original = example.read_text(encoding="utf-8")
        name = example.relative_to(ROOT)
        assert english[example].strip() == original.strip(), f"{name}: the English page shows the file as it is"
        grammar = code_comments.whole_file_grammar(example)
        if grammar is None:
            continue
        if code_comments.code_without_prose(shown, grammar) != code_comments.code_without_prose(original, grammar):
            problems.append(f"{name}: the code differs from the tested file")
        for piece in find_pieces(shown, grammar):
            if not CJK.search(piece.message):
                problems.append(f"{name}:{piece.start[0]}: not in Chinese: {piece.message[:60]!r}")
        if example.suffix == ".py":
            try:
                compile(shown, str(name), "exec")
            except SyntaxError as error:
                problems.append(f"{name}: the Chinese version does not compile: {error}")
    assert not problems, "\n".join(problems)
