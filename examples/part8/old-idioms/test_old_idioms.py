"""old_idioms.grep finds every old form of old_idioms.txt, and nothing in the modern programs."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.site import free_port

HERE = Path(__file__).resolve().parent
PATTERNS = HERE / "old_idioms.grep"
OLD_FORMS = (HERE / "old_idioms.txt").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"# ANCHOR: (\w+)\n(.*?)# ANCHOR_END: \1", OLD_FORMS, re.DOTALL))


def grep(*args, text=None):
    return subprocess.run(["grep", "-nE", *args], input=text, capture_output=True, text=True)


def test_the_file_has_every_old_form_of_the_page():
    assert list(SECTIONS) == [
        "asynchronous", "coroutine", "instance", "error_html", "secure_cookie",
        "database", "wsgi", "google", "start", "others",
    ]  # fmt: skip


@pytest.mark.parametrize("name", SECTIONS)
def test_the_search_list_finds_each_old_form(name):
    assert grep("-f", str(PATTERNS), text=SECTIONS[name]).returncode == 0, SECTIONS[name]


@pytest.mark.parametrize("pattern", PATTERNS.read_text(encoding="utf-8").splitlines())
def test_every_pattern_finds_an_old_form(pattern):
    assert grep("-e", pattern, text="".join(SECTIONS.values())).returncode == 0


def test_the_modern_programs_match_no_pattern():
    programs = [p for p in HERE.glob("*.py") if not p.name.startswith("test_")]
    programs.append(HERE.parent.parent / "part7" / "authors" / "blog.py")
    found = grep("-f", str(PATTERNS), *map(str, programs))
    assert found.returncode == 1, found.stdout  # 1: no line matched


# Four old idioms that still run: IOLoop.instance(), @gen.coroutine, set_secure_cookie,
# and bind() with start() (start(1) here: the same path as start(0), without the fork).
STILL_RUNS = """
import sys
import tornado.gen, tornado.httpclient, tornado.httpserver, tornado.ioloop, tornado.web

class VisitsHandler(tornado.web.RequestHandler):
    @tornado.gen.coroutine
    def get(self):
        yield tornado.gen.sleep(0)
        self.set_secure_cookie("visits", "1")
        self.write("the old idioms ran")

@tornado.gen.coroutine
def check(port):
    response = yield tornado.httpclient.AsyncHTTPClient().fetch("http://127.0.0.1:%d/" % port)
    print(response.body.decode())
    tornado.ioloop.IOLoop.instance().stop()

port = int(sys.argv[1])
app = tornado.web.Application([(r"/", VisitsHandler)], cookie_secret="0123456789abcdef" * 2)
server = tornado.httpserver.HTTPServer(app)
server.bind(port, "127.0.0.1")
server.start(1)
tornado.ioloop.IOLoop.instance().add_callback(check, port)
tornado.ioloop.IOLoop.instance().start()
"""


def test_old_idioms_that_still_run_give_no_deprecation_warning():
    # This is why the page gives a search list, not "run with -W error".
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", STILL_RUNS, str(free_port())],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "the old idioms ran\n", "")
    found = grep("-f", str(PATTERNS), text=STILL_RUNS).stdout
    for idiom in ("@tornado.gen.coroutine", "set_secure_cookie", "IOLoop.instance()", "server.start(1)"):
        assert idiom in found
