import importlib
import importlib.util
import re
from pathlib import Path

import tornado.wsgi

PAGE = Path(__file__).resolve().parents[3] / "docs" / "part1" / "module-tour.md"


def modules_linked_from_the_page():
    """Modules the page links with {py:mod}`...`."""
    role = r"\{py:mod\}`~?(tornado\.[a-z_.]+)`"
    return set(re.findall(role, PAGE.read_text(encoding="utf-8")))


def test_every_module_of_the_tour_imports(run_example, replay):
    done = run_example("list_modules.py")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == f"Tornado {tornado.version}"
    listed = dict(line.split(None, 1) for line in lines[1:])
    linked = modules_linked_from_the_page()
    assert len(linked) >= 16
    for name in linked:
        assert name in listed, f"{name} is on the page but not in list_modules.py"
        assert listed[name] != "gone"
    assert listed["tornado.database"] == "gone"
    assert listed["tornado.stack_context"] == "gone"
    replay("list_modules.console")


def test_old_modules_and_classes_are_gone():
    assert importlib.util.find_spec("tornado.database") is None
    assert importlib.util.find_spec("tornado.stack_context") is None
    # WSGI now runs only one way: a WSGI application inside Tornado's server.
    assert not hasattr(tornado.wsgi, "WSGIApplication")
    assert not hasattr(tornado.wsgi, "WSGIAdapter")
    assert hasattr(tornado.wsgi, "WSGIContainer")
    # tornado.platform.twisted needs Twisted to import; read its source instead.
    twisted_bridge = Path(importlib.util.find_spec("tornado.platform.twisted").origin).read_text()
    assert "TornadoReactor" not in twisted_bridge
    assert "TwistedIOLoop" not in twisted_bridge


def test_tornado_concurrent_future_is_the_asyncio_future():
    import asyncio

    import tornado.concurrent

    assert tornado.concurrent.Future is asyncio.Future
    assert callable(tornado.concurrent.run_on_executor)
