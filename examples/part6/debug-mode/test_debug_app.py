import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

import tornado.autoreload
import tornado.process
import tornado.web
from tools.site import free_port

HERE = Path(__file__).parent


def fetch(url):
    try:
        with urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def start_copy(tmp_path):
    """Copy an example and its templates to tmp_path and run the copy as a server.

    start_example runs only the files next to the test; these tests edit
    the source, so they run a copy that they may change.
    """
    processes = []

    def start(name, *args, wrapper=()):
        shutil.copy(HERE / name, tmp_path / name)
        shutil.copytree(HERE / "templates", tmp_path / "templates", dirs_exist_ok=True)
        port = free_port()
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-W", "error::DeprecationWarning", *wrapper, name, f"--port={port}", *args],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        processes.append(process)
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, (tmp_path / f"{name}.log").read_text()
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "the copy did not start"
            time.sleep(0.01)
        return tmp_path, f"http://127.0.0.1:{port}"

    yield start

    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(5)


def test_debug_mode_serves_a_traceback_page(start_example):
    server = start_example("debug_app.py", "--debug=true", allow_tracebacks=True)
    status, body = fetch(server.url + "/broken")
    assert status == 500
    assert "Traceback (most recent call last)" in body
    assert "ZeroDivisionError" in body


def test_without_debug_the_error_page_is_plain(start_example):
    server = start_example("debug_app.py", allow_tracebacks=True)
    status, body = fetch(server.url + "/broken")
    assert status == 500
    assert body == "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"
    # The traceback still goes to the log, where only the developer sees it.
    deadline = time.monotonic() + 2
    while "ZeroDivisionError" not in server.output():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def edit_until(source, url, expected, log):
    """Move the file's time forward until the server answers `expected` (or the log shows it)."""
    stamp = source.stat().st_mtime
    deadline = time.monotonic() + 10
    while True:
        if expected in log.read_text():
            return
        try:
            if fetch(url + "/")[1] == expected:
                return
        except (URLError, ConnectionError):
            pass  # no server is listening at this moment
        assert time.monotonic() < deadline, log.read_text()
        stamp += 1
        os.utime(source, (stamp, stamp))
        time.sleep(0.05)


def test_autoreload_restarts_the_server_with_the_new_code(start_copy):
    folder, url = start_copy("debug_app.py", "--debug=true")
    assert fetch(url + "/") == (200, "Hello from version 1\n")
    source = folder / "debug_app.py"
    source.write_text(source.read_text().replace("version 1", "version 2"))
    # The reloader notes each file's modification time on its first check,
    # half a second after the start, and restarts when that time changes.
    # An edit made before the first check is not seen, so edit_until moves
    # the file's time forward until the server answers with the new code.
    edit_until(source, url, "Hello from version 2\n", folder / "debug_app.py.log")
    assert "debug_app.py modified; restarting server" in (folder / "debug_app.py.log").read_text()


def test_the_wrapper_survives_a_syntax_error(start_copy):
    folder, url = start_copy(
        "debug_app.py", "--debug=true", wrapper=("-m", "tornado.autoreload")
    )
    log = folder / "debug_app.py.log"
    source = folder / "debug_app.py"
    good = source.read_text()
    source.write_text(good.replace("class MainHandler(", "class MainHandler(("))
    edit_until(source, url, "Script exited with uncaught exception", log)
    assert "SyntaxError" in log.read_text()
    source.write_text(good.replace("version 1", "version 2"))
    edit_until(source, url, "Hello from version 2\n", log)


def test_template_edit_shows_at_once_without_the_compiled_cache(start_copy):
    folder, url = start_copy("template_reload.py")
    assert "the first text" in fetch(url + "/page")[1]
    template = folder / "templates" / "page.html"
    template.write_text(template.read_text().replace("first text", "second text"))
    assert "the second text" in fetch(url + "/page")[1]


def test_template_edit_is_not_seen_with_the_compiled_cache(start_copy):
    folder, url = start_copy("debug_app.py")  # no --debug: templates are cached
    assert "the first text" in fetch(url + "/page")[1]
    template = folder / "templates" / "page.html"
    template.write_text(template.read_text().replace("first text", "second text"))
    assert "the first text" in fetch(url + "/page")[1]


def test_debug_sets_four_settings_that_each_can_override():
    settings = tornado.web.Application([], debug=True, autoreload=False).settings
    assert settings["autoreload"] is False  # set explicitly, so debug leaves it
    assert settings["compiled_template_cache"] is False
    assert settings["static_hash_cache"] is False
    assert settings["serve_traceback"] is True


def test_autoreload_does_nothing_in_a_forked_child(tmp_path, monkeypatch):
    watched = tmp_path / "watched.py"
    watched.write_text("")
    restarts = []
    monkeypatch.setattr(tornado.autoreload, "_reload", lambda: restarts.append(1))
    monkeypatch.setattr(tornado.autoreload, "_watched_files", {str(watched)})
    monkeypatch.setattr(tornado.autoreload, "_reload_attempted", False)
    old_times = {str(watched): 0.0}  # as if the file had changed
    monkeypatch.setattr(tornado.process, "_task_id", 0)  # a child of fork_processes
    tornado.autoreload._reload_on_update(dict(old_times))
    assert restarts == []
    monkeypatch.setattr(tornado.process, "_task_id", None)  # a single process
    tornado.autoreload._reload_on_update(dict(old_times))
    assert restarts == [1]
