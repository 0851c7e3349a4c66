import re
import secrets
import time
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest

PASSWORD = secrets.token_urlsafe(12)
DAY = 24 * 60 * 60


def set_cookies(response):
    """The Set-Cookie morsels of a response, by name, flags included."""
    morsels = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        morsels.update(SimpleCookie(header))
    return morsels


def log_in(session, name, password, next_url="/"):
    session.get("/login")  # the form, and with it the _xsrf cookie
    return session.post("/login", form=session.xsrf_form({"name": name, "password": password, "next": next_url}))


@pytest.fixture
def server(monkeypatch, start_example):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return start_example("login.py")


def test_an_anonymous_get_is_sent_to_the_login_page_with_next(server, replay):
    response = server.get("/?page=2")
    assert response.status == 302
    assert response.headers["Location"] == "/login?next=%2F%3Fpage%3D2"
    replay("login-anonymous.console", server)


def test_after_login_the_page_shows_the_user(server):
    session = server.session()
    response = log_in(session, "alice", PASSWORD, next_url="/?page=2")
    assert (response.status, response.headers["Location"]) == (302, "/?page=2")
    cookie = set_cookies(response)["user"]
    assert cookie["httponly"] is True and cookie["secure"] is True and cookie["samesite"] == "Lax"
    days_left = (parsedate_to_datetime(cookie["expires"]).timestamp() - time.time()) / DAY
    assert 6.9 < days_left <= 7
    page = session.get("/")
    assert page.status == 200
    assert "Signed in as <strong>alice</strong>." in page.text
    # A signed-in POST with its XSRF token adds a note.
    assert session.post("/", form=session.xsrf_form({"note": "Buy <milk>"})).status == 302
    assert "<li>Buy &lt;milk&gt;</li>" in session.get("/").text


def test_an_anonymous_post_gets_403_not_a_redirect(server):
    session = server.session()
    session.get("/login")
    # A valid XSRF token, so that only the missing login can refuse the request.
    response = session.post("/", form=session.xsrf_form({"note": "Hello"}))
    assert response.status == 403 and "Location" not in response.headers
    # The same request after login is accepted, so the 403 was about the login.
    log_in(session, "alice", PASSWORD)
    assert session.post("/", form=session.xsrf_form({"note": "Hello"})).status == 302
    # XSRF protection is on: without the token, even a signed-in POST is refused.
    assert session.post("/", form={"note": "Hello"}).status == 403


def test_without_a_token_the_xsrf_check_refuses_before_authenticated_runs(server):
    # Neither signed in nor carrying a token: the XSRF check answers first.
    response = server.post("/", form={"note": "Hello"})
    assert response.status == 403
    assert "'_xsrf' argument missing from POST" in server.output()


def test_a_next_that_leaves_the_site_is_not_followed(server):
    session = server.session()
    for next_url in ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\t/evil.example/", "evil"]:
        response = log_in(session, "alice", PASSWORD, next_url=next_url)
        assert (response.status, response.headers["Location"]) == (302, "/"), next_url
    # A path on this site is followed.
    assert log_in(session, "alice", PASSWORD, next_url="/?page=2").headers["Location"] == "/?page=2"


def test_a_wrong_password_gets_the_form_again_with_403(server):
    session = server.session()
    for name, password in [("alice", "wrong"), ("mallory", PASSWORD)]:
        response = log_in(session, name, password)
        assert response.status == 403 and "Location" not in response.headers
        assert '<p role="alert">Wrong user name or password.</p>' in response.text
        assert "user" not in set_cookies(response)
    # A form without a password is a bad request, not a server error.
    assert session.post("/login", form=session.xsrf_form({"name": "alice"})).status == 400


def test_a_password_is_taken_as_typed_spaces_included(monkeypatch, start_example):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    monkeypatch.setenv("DEMO_PASSWORD", "  correct horse  ")
    server = start_example("login.py")
    session = server.session()
    # Stripped, it would match "correct horse"; taken as typed, only the real one signs in.
    assert log_in(session, "alice", "correct horse").status == 403
    assert log_in(session, "alice", "  correct horse  ").status == 302


def test_five_failures_block_the_name_for_a_while(server):
    session = server.session()
    for _ in range(5):
        assert log_in(session, "alice", "guess").status == 403
    # The sixth attempt is refused before the password is checked, even the right one.
    response = log_in(session, "alice", PASSWORD)
    assert response.status == 429 and response.headers["Retry-After"] == "900"
    assert "Too many failed attempts" in response.text and "user" not in set_cookies(response)
    # Other names are not affected.
    assert log_in(session, "bob", "guess").status == 403


def test_logout_clears_the_cookie_but_a_copy_still_works(server):
    session = server.session()
    log_in(session, "alice", PASSWORD)
    stolen = session.cookies["user"]
    response = session.post("/logout", form=session.xsrf_form())
    assert (response.status, response.headers["Location"]) == (302, "/login")
    cleared = set_cookies(response)["user"]
    assert cleared.value == "" and parsedate_to_datetime(cleared["expires"]).timestamp() < time.time()
    assert "user" not in session.cookies
    assert session.get("/").status == 302
    # The signed value itself stays valid until it is too old: a copy still works.
    session.cookies["user"] = stolen
    assert session.get("/").status == 200


def test_an_old_format_user_cookie_is_ignored(server):
    assert server.get("/", headers={"Cookie": 'user="1|2|3"'}).status == 302


def test_without_demo_password_one_is_generated_and_printed(monkeypatch, start_example):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    server = start_example("login.py")
    printed = re.search(r"Sign in as alice with the password (\S+)\n", server.output()).group(1)
    session = server.session()
    assert log_in(session, "alice", printed).status == 302
    assert session.get("/").status == 200


def test_the_limiter_keeps_at_most_max_names():
    from pathlib import Path

    # Load only the class, without running the program's option definitions twice.
    source = (Path(__file__).parent / "login.py").read_text()
    start = source.index("class AttemptLimiter")
    end = source.index("\ndef local_path")
    namespace = {"time": __import__("time")}
    exec(source[start:end], namespace)
    limiter = namespace["AttemptLimiter"](max_failures=2, max_names=3)
    for name in ["a", "b", "c", "d"]:
        limiter.failed(name)
    assert list(limiter.failures) == ["b", "c", "d"]  # the oldest name is forgotten
    limiter.failed("b")
    assert limiter.blocked("b") and not limiter.blocked("c")
    assert list(limiter.failures) == ["c", "d", "b"]
    limiter.blocked("never-seen")  # asking stores nothing
    assert len(limiter.failures) == 3
