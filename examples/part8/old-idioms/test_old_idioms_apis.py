"""The old APIs that the page shows as text are really gone (or renamed) in the installed Tornado."""

import asyncio
import importlib.util
from pathlib import Path

import pytest
import tornado
import tornado.auth
import tornado.gen
import tornado.httpclient
import tornado.ioloop
import tornado.platform.asyncio
import tornado.web
import tornado.wsgi


def test_tornado_6():
    assert tornado.version_info[0] == 6


def test_removed_names():
    assert not hasattr(tornado.web, "asynchronous")
    assert not hasattr(tornado.gen, "Task")
    assert not hasattr(tornado.gen, "engine")
    assert not hasattr(tornado.web.RequestHandler, "get_error_html")
    assert not hasattr(tornado.wsgi, "WSGIApplication")
    assert not hasattr(tornado.wsgi, "WSGIAdapter")
    assert hasattr(tornado.wsgi, "WSGIContainer")
    assert not hasattr(tornado.auth, "GoogleMixin")
    assert hasattr(tornado.auth, "GoogleOAuth2Mixin")


def test_nothing_in_tornado_calls_get_error_html():
    # An old handler that still defines it is never called: no line of Tornado names it.
    sources = Path(tornado.__file__).parent.glob("*.py")
    assert not [path.name for path in sources if "get_error_html" in path.read_text(encoding="utf-8")]


def test_removed_modules():
    assert importlib.util.find_spec("tornado.database") is None
    assert importlib.util.find_spec("tornado.stack_context") is None


def test_secure_cookie_names_are_aliases():
    handler = tornado.web.RequestHandler
    assert handler.set_secure_cookie is handler.set_signed_cookie
    assert handler.get_secure_cookie is handler.get_signed_cookie


def test_still_present():
    # Kept for old code, but no longer the recommended way.
    assert callable(tornado.ioloop.IOLoop.instance)
    assert callable(tornado.ioloop.IOLoop.run_sync)
    assert callable(tornado.gen.coroutine)
    assert callable(tornado.platform.asyncio.AsyncIOMainLoop)


def test_ioloop_instance_is_current():
    async def check():
        assert tornado.ioloop.IOLoop.instance() is tornado.ioloop.IOLoop.current()

    asyncio.run(check())


def test_fetch_has_no_callback_argument():
    async def fetch_with_callback():
        client = tornado.httpclient.AsyncHTTPClient()
        await client.fetch("http://127.0.0.1:9/", callback=print)

    with pytest.raises(TypeError, match="callback"):
        asyncio.run(fetch_with_callback())


def test_blocking_client_refuses_to_run_inside_the_event_loop():
    async def use_blocking_client():
        tornado.httpclient.HTTPClient()

    with pytest.raises(RuntimeError, match="another loop is running"):
        asyncio.run(use_blocking_client())
