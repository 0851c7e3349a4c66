import os
import shutil
import time
from pathlib import Path

import pytest
import tornado.autoreload
import tornado.process
import tornado.web

from examples.conftest import ROOT

HERE = Path(__file__).parent
FOLDER = HERE.relative_to(ROOT)  # examples/part6/debug-mode

# `python -m tornado.autoreload script.py`, with the examples' interpreter flags
# before -m: start_example puts its wrapper before `python -W ...`, so the shell
# moves the two flag words ($1 $2) ahead of `-m tornado.autoreload`.
AUTORELOAD_WRAPPER = ("sh", "-c", 'py=$0 w1=$1 w2=$2; shift 2; exec "$py" "$w1" "$w2" -m tornado.autoreload "$@"')


@pytest.fixture
def copy(tmp_path):
    """A copy of this folder at the same place under tmp_path, for tests that edit the source.

    start_example(..., cwd=copy) then runs the copy, which the test may change.
    """
    shutil.copytree(HERE, tmp_path / FOLDER, ignore=shutil.ignore_patterns("test_*", "__pycache__"))
    return tmp_path


def fetch(server, path):
    response = server.get(path)
    return response.status, response.text


def test_debug_mode_serves_a_traceback_page(start_example):
    server = start_example("debug_app.py", "--debug=true", allow_tracebacks=True)
    status, body = fetch(server, "/broken")
    assert status == 500
    assert "Traceback (most recent call last)" in body
    assert "ZeroDivisionError" in body


def test_without_debug_the_error_page_is_plain(start_example):
    server = start_example("debug_app.py", allow_tracebacks=True)
    status, body = fetch(server, "/broken")
    assert status == 500
    assert body == "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"
    # The traceback still goes to the log, where only the developer sees it.
    server.wait_for_output("ZeroDivisionError")


def edit_until(source, server, expected):
    """Move the file's time forward until the server answers `expected` (or its log shows it)."""
    stamp = source.stat().st_mtime
    deadline = time.monotonic() + 10
    while True:
        if expected in server.output():
            return
        try:
            if expected in fetch(server, "/")[1]:
                return
        except OSError:
            pass  # no server is listening at this moment
        assert time.monotonic() < deadline, server.output()
        stamp += 1
        os.utime(source, (stamp, stamp))
        time.sleep(0.05)


def test_autoreload_restarts_the_server_with_the_new_code(start_example, copy):
    server = start_example("debug_app.py", "--debug=true", cwd=copy)
    assert fetch(server, "/") == (200, "Hello from version 1\n")
    source = copy / FOLDER / "debug_app.py"
    source.write_text(source.read_text().replace("version 1", "version 2"))
    # The reloader notes each file's modification time on its first check,
    # half a second after the start, and restarts when that time changes.
    # An edit made before the first check is not seen, so edit_until moves
    # the file's time forward until the server answers with the new code.
    edit_until(source, server, "Hello from version 2\n")
    server.wait_for_output("debug_app.py modified; restarting server")


SHOW_FLAGS = 'self.write(f"version 2 {sys.warnoptions}\\n")'


def test_the_restart_loses_interpreter_flags_but_keeps_the_environment(start_example, copy):
    # Started as `python -W error::DeprecationWarning debug_app.py`, with
    # PYTHONWARNINGS=error::ResourceWarning in the environment.
    server = start_example("debug_app.py", "--debug=true", cwd=copy, env={"PYTHONWARNINGS": "error::ResourceWarning"})
    source = copy / FOLDER / "debug_app.py"
    text = source.read_text().replace('self.write("Hello from version 1\\n")', SHOW_FLAGS)
    source.write_text("import sys\n" + text)
    edit_until(source, server, "version 2 ")
    # The new process runs `python debug_app.py ...`: -W is gone, the variable stays.
    assert fetch(server, "/")[1] == "version 2 ['error::ResourceWarning']\n"


def test_the_wrapper_survives_a_syntax_error(start_example, copy):
    server = start_example("debug_app.py", "--debug=true", cwd=copy, wrapper=AUTORELOAD_WRAPPER, allow_tracebacks=True)
    source = copy / FOLDER / "debug_app.py"
    good = source.read_text()
    source.write_text(good.replace("class MainHandler(", "class MainHandler(("))
    edit_until(source, server, "Script exited with uncaught exception")
    assert "SyntaxError" in server.output()
    source.write_text(good.replace("version 1", "version 2"))
    edit_until(source, server, "Hello from version 2\n")


def test_template_edit_shows_at_once_without_the_compiled_cache(start_example, copy):
    server = start_example("template_reload.py", cwd=copy)
    assert "the first text" in fetch(server, "/page")[1]
    template = copy / FOLDER / "templates" / "page.html"
    template.write_text(template.read_text().replace("first text", "second text"))
    assert "the second text" in fetch(server, "/page")[1]


def test_template_edit_is_not_seen_with_the_compiled_cache(start_example, copy):
    server = start_example("debug_app.py", cwd=copy)  # no --debug: templates are cached
    assert "the first text" in fetch(server, "/page")[1]
    template = copy / FOLDER / "templates" / "page.html"
    template.write_text(template.read_text().replace("first text", "second text"))
    assert "the first text" in fetch(server, "/page")[1]


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
