import http.client
import re
import secrets
import time
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

PASSWORD = secrets.token_urlsafe(12)
DAY = 24 * 60 * 60


class Browser:
    """Keeps cookies like a browser would, by hand: urllib's cookie jar
    would not send a Secure cookie over plain HTTP. Never follows redirects."""

    def __init__(self, server):
        self.port = server.port
        self.cookies = {}
        self.set_cookies = {}  # the Set-Cookie morsels of the last response

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
        finally:
            connection.close()
        self.set_cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.set_cookies[name] = morsel
                if morsel["expires"] and parsedate_to_datetime(morsel["expires"]).timestamp() < time.time():
                    self.cookies.pop(name, None)  # an expiry in the past deletes the cookie
                else:
                    self.cookies[name] = morsel.coded_value
        return response.status, response.headers, text

    def xsrf_token(self):
        """The hidden _xsrf field of the login form, as a browser would submit it."""
        _, _, page = self.request("GET", "/login")
        return re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)

    def log_in(self, name, password, next_url="/"):
        form = {"_xsrf": self.xsrf_token(), "name": name, "password": password, "next": next_url}
        return self.request("POST", "/login", form)


@pytest.fixture
def server(monkeypatch, start_example):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return start_example("login.py")


def test_an_anonymous_get_is_sent_to_the_login_page_with_next(server, replay):
    status, headers, _ = Browser(server).request("GET", "/?page=2")
    assert status == 302
    assert headers["Location"] == "/login?next=%2F%3Fpage%3D2"
    replay("login-anonymous.console", server)


def test_after_login_the_page_shows_the_user(server):
    browser = Browser(server)
    status, headers, _ = browser.log_in("alice", PASSWORD, next_url="/?page=2")
    assert (status, headers["Location"]) == (302, "/?page=2")
    cookie = browser.set_cookies["user"]
    assert cookie["httponly"] is True and cookie["secure"] is True and cookie["samesite"] == "Lax"
    days_left = (parsedate_to_datetime(cookie["expires"]).timestamp() - time.time()) / DAY
    assert 6.9 < days_left <= 7
    status, _, page = browser.request("GET", "/")
    assert status == 200
    assert "Signed in as <strong>alice</strong>." in page
    # A signed-in POST with its XSRF token adds a note.
    form = {"_xsrf": browser.xsrf_token(), "note": "Buy <milk>"}
    assert browser.request("POST", "/", form)[0] == 302
    assert "<li>Buy &lt;milk&gt;</li>" in browser.request("GET", "/")[2]


def test_an_anonymous_post_gets_403_not_a_redirect(server):
    browser = Browser(server)
    # A valid XSRF token, so that only the missing login can refuse the request.
    form = {"_xsrf": browser.xsrf_token(), "note": "Hello"}
    status, headers, _ = browser.request("POST", "/", form)
    assert status == 403 and "Location" not in headers
    # The same request after login is accepted, so the 403 was about the login.
    browser.log_in("alice", PASSWORD)
    assert browser.request("POST", "/", form)[0] == 302
    # XSRF protection is on: without the token, even a signed-in POST is refused.
    assert browser.request("POST", "/", {"note": "Hello"})[0] == 403


def test_a_next_that_leaves_the_site_is_not_followed(server):
    browser = Browser(server)
    for next_url in ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\t/evil.example/", "evil"]:
        status, headers, _ = browser.log_in("alice", PASSWORD, next_url=next_url)
        assert (status, headers["Location"]) == (302, "/"), next_url
    # A path on this site is followed.
    assert browser.log_in("alice", PASSWORD, next_url="/?page=2")[1]["Location"] == "/?page=2"


def test_a_wrong_password_gets_the_form_again_with_403(server):
    browser = Browser(server)
    for name, password in [("alice", "wrong"), ("mallory", PASSWORD)]:
        status, headers, page = browser.log_in(name, password)
        assert status == 403 and "Location" not in headers
        assert '<p role="alert">Wrong user name or password.</p>' in page
        assert "user" not in browser.set_cookies
    # A form without a password is a bad request, not a server error.
    form = {"_xsrf": browser.xsrf_token(), "name": "alice"}
    assert browser.request("POST", "/login", form)[0] == 400


def test_logout_clears_the_cookie(server):
    browser = Browser(server)
    browser.log_in("alice", PASSWORD)
    stolen = browser.cookies["user"]
    status, headers, _ = browser.request("POST", "/logout", {"_xsrf": browser.xsrf_token()})
    assert (status, headers["Location"]) == (302, "/login")
    cleared = browser.set_cookies["user"]
    assert cleared.value == "" and parsedate_to_datetime(cleared["expires"]).timestamp() < time.time()
    assert "user" not in browser.cookies
    assert browser.request("GET", "/")[0] == 302
    # The signed value itself stays valid until it is too old: a copy still works.
    browser.cookies["user"] = stolen
    assert browser.request("GET", "/")[0] == 200


def test_without_demo_password_one_is_generated_and_printed(monkeypatch, start_example):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    server = start_example("login.py")
    printed = re.search(r"Sign in as alice with the password (\S+)\n", server.output()).group(1)
    browser = Browser(server)
    assert browser.log_in("alice", printed)[0] == 302
    assert browser.request("GET", "/")[0] == 200
