"""The project's commands: `make serve` serves both languages and follows edits; bad input gets a clear message."""

from __future__ import annotations

import http.client
import os
import posixpath
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest

from tools import inventory, site
from tools.languages import LANGUAGE_TABLE
from tools.testing import free_port


def fetch(url: str) -> str | None:
    """The page's text, or None while the server is not up or the page is being rewritten.

    A rebuild rewrites the files in place, so a page read in the middle of it can come
    out shorter than its announced length (IncompleteRead): ask again.
    """
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
        return None


def wait_for(url: str, text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project to edit freely, served with this virtualenv's Python."""
    copy = tmp_path / "guide"
    site.copy_project(copy)
    return copy


def html_stamps(html: Path) -> dict[str, int]:
    return {str(path.relative_to(html)): path.stat().st_mtime_ns for path in html.rglob("*.html")}


def rewritten(before: dict[str, int], html: Path) -> set[str]:
    """The guide's pages (and the whole-file pages of examples) written since BEFORE."""
    return {
        name for name, stamp in html_stamps(html).items()
        if before.get(name) != stamp and name.split("/", 1)[1] != "search.html"
    }  # fmt: skip


@pytest.mark.slow
def test_serve_builds_every_language_and_rewrites_only_what_an_edit_changes(project_copy):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.site", "serve", "--port", str(port)],
        cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env=dict(os.environ, GUIDE_BUILD_DIR=str(project_copy / "_build")),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    html = project_copy / "_build" / "html"
    source, translation = site.SOURCE_LANGUAGE, site.TRANSLATIONS[0]
    unrelated = "part2/coroutines.html"  # neither edited nor a parent of the edited page
    try:
        root = wait_for(f"{base}/", f"{translation}/index.html", 180)
        assert all(f"{language}/index.html" in root for language in site.LANGUAGES)
        english = wait_for(f"{base}/{source}/index.html", "/websocket-reload", 10)  # the live-reload script
        assert '<html class="no-js" lang="en"' in english
        chinese = wait_for(f"{base}/{translation}/index.html", '<html class="no-js" lang="zh-CN"', 10)
        assert "中文" in chinese
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/{source}/no-such-page.html", timeout=5)
        assert missing.value.code == 404 and "Page not found" in missing.value.read().decode()

        # An English edit: the page (and its parent) in every language, nothing else.
        before = html_stamps(html)
        page = project_copy / "docs" / "part1" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
        saved = time.monotonic()
        for language in site.LANGUAGES:
            wait_for(f"{base}/{language}/part1/index.html", "A sentence added while serving.", 60)
        print(f"English edit served in every language after {time.monotonic() - saved:.1f} s")
        time.sleep(1)
        changed = rewritten(before, html)
        for language in site.LANGUAGES:
            assert f"{language}/part1/index.html" in changed
            assert f"{language}/{unrelated}" not in changed, sorted(changed)

        # A catalog edit: only that language's page.
        before = html_stamps(html)
        catalog = project_copy / "locale" / translation / "LC_MESSAGES" / "part1" / "index.po"
        catalog.write_text(
            catalog.read_text(encoding="utf-8")
            + '\nmsgid "A sentence added while serving."\nmsgstr "服务期间新增的一句话。"\n',
            encoding="utf-8",
        )
        wait_for(f"{base}/{translation}/part1/index.html", "服务期间新增的一句话。", 60)
        time.sleep(1)
        changed = rewritten(before, html)
        assert not {name for name in changed if name.startswith(f"{source}/")}, sorted(changed)
        assert f"{translation}/{unrelated}" not in changed, sorted(changed)

        # A new title reaches every page's sidebar, in every language (untranslated, it shows in English).
        text = page.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("# "))
        page.write_text(text.replace(title, "# A Retitled Part", 1), encoding="utf-8")
        for language in site.LANGUAGES:
            wait_for(f"{base}/{language}/{unrelated}", "A Retitled Part", 60)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
        print(output)


def test_tornado_inventory_is_the_installed_tornados():
    import tornado

    path = inventory.tornado_inventory()
    assert path == inventory.inventory_file("tornado", tornado.version)
    header = inventory.read_header(path)
    assert header == {"project": "Tornado", "version": tornado.version}
    names = {entry.split(" ", 1)[0] for entry in inventory.read_entries(path)}
    assert "tornado.web.RequestHandler.get_argument" in names
    # Tornado documents RequestHandler.create_signed_value, not the module function.
    assert "tornado.web.create_signed_value" not in names


def test_pythons_inventory_holds_only_python_objects():
    path = inventory.inventory_file("python", inventory.PYTHON_VERSION)
    assert inventory.read_header(path) == {"project": "Python", "version": inventory.PYTHON_VERSION}
    entries = [entry.split(" ", 2) for entry in inventory.read_entries(path)]
    assert len(entries) > 9000 and all(role.startswith("py:") for _name, role, _rest in entries)
    assert {"asyncio.gather", "concurrent.futures.ThreadPoolExecutor"} <= {name for name, _role, _rest in entries}


def test_keeping_python_objects_leaves_out_every_other_domain(tmp_path):
    from sphinx.util.inventory import InventoryFile

    entries = [
        "asyncio.gather py:function 1 library/asyncio-task.html#$ -",
        "PyObject c:type 1 c-api/structures.html#c.$ -",
        "abstract base class std:term -1 glossary.html#term-abstract-base-class -",
        "json py:module 0 library/json.html#module-$ -",
    ]
    header = b"# Sphinx inventory version 2\n# Project: Python\n# Version: 3.11\n# zlib follows.\n"
    source, kept = tmp_path / "objects.inv", tmp_path / "kept.inv"
    source.write_bytes(header + zlib.compress("\n".join(entries).encode()))
    assert inventory.keep_python_objects(source, kept) == 2
    assert inventory.read_header(kept) == {"project": "Python", "version": "3.11"}
    assert inventory.read_entries(kept) == [entries[0], entries[3]]
    with kept.open("rb") as stream:  # Sphinx reads it
        loaded = InventoryFile.load(stream, "https://docs.python.org/3/", posixpath.join)
    assert set(loaded) == {"py:function", "py:module"}


def test_myst_parses_docutils_settings_once_and_gives_each_document_a_copy(monkeypatch):
    import docutils.frontend
    from myst_parser.mdit_to_docutils import base

    from tools import rebuild_speed

    rebuild_speed.share_default_settings()
    first = base.make_document("first")
    monkeypatch.setattr(docutils.frontend, "OptionParser", None)  # parsing the settings again would fail
    second = base.make_document("second")
    assert second.settings is not first.settings and vars(second.settings) == vars(first.settings)


def test_pagefind_reads_chinese_one_ideograph_a_word_without_originals_or_highlighting():
    from tools.search import index_copy

    page = (
        '<p>服务器，然后<code>self.write</code></p><div class="guide-original" lang="en"><p>The server, then</p></div>'
        '<pre><span></span><span class="n">self</span><span class="o">.</span><span class="n">write</span>()</pre>'
    )
    copy = index_copy(page)
    assert copy == "<p>服 务 器 ， 然 后<code>self.write</code></p><pre>self.write()</pre>"


def test_every_language_has_one_row_and_its_catalogs():
    codes = [row.code for row in LANGUAGE_TABLE]
    assert len(set(codes)) == len(codes) and codes[0] == site.SOURCE_LANGUAGE
    for row in LANGUAGE_TABLE:
        assert site.sphinx_language(row.readthedocs) == site.sphinx_language(row.html_lang) == row.code
        assert row.html_lang.replace("-", "_").lower() == row.code.lower()
        if row.code != site.SOURCE_LANGUAGE:
            assert row.original_toggle, row.code
            assert (site.LOCALE_DIR / row.code / "LC_MESSAGES" / "index.po").is_file(), row.code
    printed = subprocess.run([sys.executable, "-m", "tools.languages"], cwd=site.ROOT, capture_output=True, text=True)
    assert printed.stdout.split() == codes
    assert "-m tools.languages" in (site.ROOT / "Makefile").read_text()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["tools.site", "build", "fr"], "unknown language 'fr'"),
        (["tools.site", "build", "en", "zh_CN", "--out", "x"], "--out takes exactly one language"),
        (["tools.site", "epub", "fr"], "unknown language 'fr'"),
        (["tools.site", "serve", "--port", "abc"], "invalid int value: 'abc'"),
        (["tools.site", "serve", "--port", "70000"], "--port must be between 1 and 65535"),
        (["tools.offline", "fr"], "unknown language 'fr'"),
        (["tools.offline", "en", "zh_CN", "--out", "x"], "--out takes exactly one language"),
        (["tools.pdf", "fr"], "unknown language 'fr'"),
        (["tools.pdf", "en", "zh_CN", "--out", "x"], "--out takes exactly one language"),
    ],
)
def test_commands_reject_bad_input_with_a_clear_message(arguments, message):
    result = subprocess.run([sys.executable, "-m", *arguments], cwd=site.ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_says_so_when_the_port_is_taken():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tools.site", "serve", "--port", str(port), "--no-build"],
            cwd=site.ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr


def test_make_refuses_a_python_older_than_3_11(tmp_path):
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.10.12' && exit 0\nexit 1\n")
    old_python.chmod(0o755)
    result = subprocess.run(
        ["make", "--no-print-directory", "html", f"PYTHON={old_python}", f"VENV={tmp_path / 'venv'}"],
        cwd=site.ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stdout + result.stderr
    assert "Python 3.10.12" in result.stdout + result.stderr
    assert not (tmp_path / "venv").exists()


def test_translation_sample_leaves_out_program_text_and_repeats_with_its_seed():
    """tools/translation_sample.py: the reviewers' draw comes from page prose only, and the same seed draws the same entries."""
    from babel.messages.pofile import read_po

    from tools import translation_sample

    tree = translation_sample.Tree(None)
    language = site.TRANSLATIONS[0]
    drawn = translation_sample.population(tree, language)
    assert len(drawn) >= 500, f"only {len(drawn)} long entries qualify"
    assert all(len(entry.english) >= translation_sample.SHORTEST for entry in drawn)
    # The long comments of example programs exist in the catalogs, and none of them is drawn.
    programs = set()
    for name in tree.catalogs(language):
        with open(site.LOCALE_DIR / language / "LC_MESSAGES" / name, encoding="utf-8") as po:
            for message in read_po(po):
                if isinstance(message.id, str) and len(message.id) >= translation_sample.SHORTEST:
                    if translation_sample.from_a_program(tree, message):
                        programs.add(message.id)
    assert len(programs) >= 20, "no long program comments were found to leave out: has the population rule changed?"
    assert not programs & {entry.english for entry in drawn}

    size, first = translation_sample.draw(tree, language, seed=20261204)
    assert size == len(drawn) and len(first) == translation_sample.SAMPLE_SIZE
    assert translation_sample.draw(tree, language, seed=20261204)[1] == first
    assert translation_sample.draw(tree, language, seed=20261205)[1] != first
