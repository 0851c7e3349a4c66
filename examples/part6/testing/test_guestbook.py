import logging
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import tornado.gen
import tornado.websocket
from tornado.log import gen_log
from tornado.testing import AsyncHTTPSTestCase, AsyncHTTPTestCase, ExpectLog, gen_test

from examples.part6.testing.guestbook import make_app

SECRET = "a test secret, 32 characters long"


class GuestbookTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(cookie_secret=SECRET)

    def setUp(self):
        super().setUp()
        self.cookies = {}

    # A few lines that keep cookies between requests, as a browser does.
    def cookie_header(self, kwargs):
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def keep_cookies(self, response):
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def browse(self, path, **kwargs):
        """self.fetch with cookies, for ordinary test methods."""
        headers = self.cookie_header(kwargs)
        return self.keep_cookies(self.fetch(path, headers=headers, follow_redirects=False, **kwargs))

    async def browse_async(self, path, **kwargs):
        """The same inside a @gen_test coroutine, where self.fetch cannot run."""
        headers = self.cookie_header(kwargs)
        response = await self.http_client.fetch(
            self.get_url(path), headers=headers, follow_redirects=False, raise_error=False, **kwargs
        )  # fmt: skip
        return self.keep_cookies(response)

    def sign_in(self, name="Ada"):
        self.browse("/login")  # sets the _xsrf cookie
        form = {"name": name, "_xsrf": self.cookies["_xsrf"]}
        return self.browse("/login", method="POST", body=urlencode(form))

    def test_a_visitor_is_sent_to_the_login_page(self):
        # fetch() follows redirects by default; to test the redirect itself, turn that off.
        response = self.fetch("/", follow_redirects=False)
        assert response.code == 302
        assert response.headers["Location"] == "/login?next=%2F"

    def test_signing_in_and_posting_with_the_xsrf_token(self):
        response = self.sign_in()
        assert response.code == 302 and response.headers["Location"] == "/"
        form = {"text": "Hello", "_xsrf": self.cookies["_xsrf"]}
        assert self.browse("/", method="POST", body=urlencode(form)).code == 302
        assert "<p>Ada: Hello</p>" in self.browse("/").body.decode()

    def test_the_login_redirects_only_within_the_site(self):
        self.browse("/login")
        for target, expected in [
            ("/?page=2", "/?page=2"),
            ("https://evil.example/", "/"),
            ("//evil.example/", "/"),
            ("/\\evil.example/", "/"),
        ]:
            form = {"name": "Ada", "_xsrf": self.cookies["_xsrf"]}
            response = self.browse("/login?" + urlencode({"next": target}), method="POST", body=urlencode(form))
            assert response.headers["Location"] == expected, target

    def test_a_post_without_the_token_is_refused_and_logged(self):
        self.sign_in()
        # ExpectLog swallows the warning that Tornado logs and fails if it never comes.
        with ExpectLog(gen_log, ".*'_xsrf' argument missing from POST", level=logging.WARNING):
            response = self.browse("/", method="POST", body=urlencode({"text": "Hello"}))
        assert response.code == 403

    @gen_test(timeout=3)  # this test may take 3 s; ASYNC_TEST_TIMEOUT sets the default (5 s)
    async def test_a_websocket_receives_each_new_entry(self):
        url = self.get_url("/live").replace("http://", "ws://")
        live = await tornado.websocket.websocket_connect(url)
        # Sign in and post with the asynchronous client, on the same event loop.
        await self.browse_async("/login")
        form = {"name": "Grace", "_xsrf": self.cookies["_xsrf"]}
        await self.browse_async("/login", method="POST", body=urlencode(form))
        form = {"text": "Hi", "_xsrf": self.cookies["_xsrf"]}
        await self.browse_async("/", method="POST", body=urlencode(form))
        assert await live.read_message() == "Grace: Hi"
        live.close()

    def test_gen_test_fails_a_test_that_runs_too_long(self):
        @gen_test(timeout=0.1)
        async def too_slow(self):
            await tornado.gen.sleep(1)

        with self.assertRaises(TimeoutError):
            too_slow(self)


class WhatTheToolsRefuse(AsyncHTTPTestCase):
    """The two rules the page states about ExpectLog and self.fetch."""

    def get_app(self):
        return make_app(cookie_secret=SECRET)

    def test_expect_log_fails_when_the_message_never_comes(self):
        with pytest.raises(Exception, match="did not get expected log message"):
            with ExpectLog(gen_log, "never logged", level=logging.WARNING):
                self.fetch("/login")

    @gen_test
    async def test_self_fetch_cannot_run_inside_gen_test(self):
        with pytest.raises(RuntimeError, match="already running"):
            self.fetch("/login")


class GuestbookOverHTTPSTest(AsyncHTTPSTestCase):
    """The same application behind Tornado's own test certificate."""

    def get_app(self):
        return make_app(cookie_secret=SECRET)

    def test_the_login_page_over_https(self):
        assert self.get_url("/login").startswith("https://")
        response = self.fetch("/login")
        assert response.code == 200 and b'name="_xsrf"' in response.body


def test_async_test_timeout_comes_from_the_environment(monkeypatch):
    from tornado.testing import get_async_test_timeout

    monkeypatch.delenv("ASYNC_TEST_TIMEOUT", raising=False)
    assert get_async_test_timeout() == 5
    monkeypatch.setenv("ASYNC_TEST_TIMEOUT", "0.5")
    assert get_async_test_timeout() == 0.5


def test_the_program_starts(start_example):
    server = start_example("guestbook.py", env={"COOKIE_SECRET": SECRET})
    assert server.get("/").status == 302


def test_the_program_refuses_a_short_secret(run_example):
    done = run_example("guestbook.py")
    assert done.returncode == 1 and "COOKIE_SECRET" in done.stderr


def test_an_option_cannot_be_defined_twice():
    from tornado.options import Error, OptionParser

    parser = OptionParser()
    parser.define("port", default=8888, type=int)
    with pytest.raises(Error, match="already defined"):
        parser.define("port", default=8888, type=int)
