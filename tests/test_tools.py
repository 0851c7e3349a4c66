"""The project's commands: `make serve` serves both languages and follows edits; bad input gets a clear message."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools import site
from tools.site import free_port



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


def test_serve_builds_both_languages_and_follows_edits(project_copy):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.site", "serve", "--port", str(port)],
        cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        root = wait_for(f"{base}/", "zh_CN/index.html", 120)
        assert "en/index.html" in root
        english = wait_for(f"{base}/en/index.html", "/websocket-reload", 10)  # the live-reload script
        assert '<html class="no-js" lang="en"' in english
        chinese = wait_for(f"{base}/zh_CN/index.html", '<html class="no-js" lang="zh-CN"', 10)
        assert "中文" in chinese
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/en/no-such-page.html", timeout=5)
        assert missing.value.code == 404 and "Page not found" in missing.value.read().decode()

        page = project_copy / "docs" / "part1" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
        wait_for(f"{base}/en/part1/index.html", "A sentence added while serving.", 60)

        catalog = project_copy / "locale" / "zh_CN" / "LC_MESSAGES" / "part1" / "index.po"
        catalog.write_text(
            catalog.read_text(encoding="utf-8")
            + '\nmsgid "A sentence added while serving."\nmsgstr "服务期间新增的一句话。"\n',
            encoding="utf-8",
        )
        wait_for(f"{base}/zh_CN/part1/index.html", "服务期间新增的一句话。", 60)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
        print(output)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["build", "fr"], "unknown language 'fr'"),
        (["build", "en", "zh_CN", "--out", "x"], "--out takes exactly one language"),
        (["serve", "--port", "abc"], "invalid int value: 'abc'"),
        (["serve", "--port", "70000"], "--port must be between 1 and 65535"),
    ],
)
def test_site_command_rejects_bad_input_with_a_clear_message(arguments, message):
    result = subprocess.run([sys.executable, "-m", "tools.site", *arguments], cwd=site.ROOT, capture_output=True, text=True)
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
