import base64
import hashlib
import html
import json
import secrets
import socket
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect
from tornado.web import decode_signed_value

from tools.site import free_port


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def set_cookies(response):
    morsels = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        morsels.update(SimpleCookie(header))
    return morsels


@pytest.fixture
def secrets_in_environment(monkeypatch):
    values = {
        "OAUTH_CLIENT_ID": "guide-demo",
        "OAUTH_CLIENT_SECRET": secrets.token_hex(32),
        "COOKIE_SECRET": secrets.token_hex(32),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def start_app(start_example, provider_url, *args):
    """login.py on a port chosen in advance, so that its public_url can name it."""
    port = free_port()
    return start_example("login.py", f"--provider_url={provider_url}", f"--public_url=http://localhost:{port}",
                         *args, port=port)  # fmt: skip


@pytest.fixture
def servers(start_example, secrets_in_environment):
    port = free_port()
    provider = start_example("fake_provider.py", f"--redirect_uri=http://localhost:{port}/auth/callback")
    app = start_example(
        "login.py", f"--provider_url={provider.url}", f"--public_url=http://localhost:{port}", port=port
    )
    return app, provider


def start_login(session, app, provider):
    """Steps 1 and 2: the application sends the browser to the provider, which asks the user."""
    response = session.get("/login")
    assert response.status == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.url + "/authorize"
    consent = provider.get(path_of(response.headers["Location"]))
    assert consent.status == 200 and "Allow" in consent.text and "guide-demo" in consent.text
    return parse_qs(location.query)


def decide(provider, query, decision):
    """The user clicks Allow or Deny; the provider sends the browser back to redirect_uri."""
    names = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")
    fields = {name: values[0] for name, values in query.items() if name in names}
    response = provider.get("/decide?" + urlencode({**fields, "decision": decision}))
    assert response.status == 302
    return response.headers["Location"]


def test_full_login_against_the_fake_provider(servers, secrets_in_environment):
    app, provider = servers
    cookie_secret = secrets_in_environment["COOKIE_SECRET"]
    session = app.session()
    page = session.get("/")
    assert page.status == 200 and "Sign in with the provider" in page.text

    query = start_login(session, app, provider)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["guide-demo"]
    assert query["redirect_uri"] == [f"http://localhost:{app.port}/auth/callback"]
    assert query["scope"] == ["openid profile email"]
    state = query["state"][0]
    assert len(state) >= 32
    # The state waits in a signed cookie, and the PKCE verifier beside it; the
    # provider sees only the verifier's hash.
    assert decode_signed_value(cookie_secret, "oauth_state", session.cookies["oauth_state"]) == state.encode()
    verifier = decode_signed_value(cookie_secret, "oauth_verifier", session.cookies["oauth_verifier"])
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [digest] and query["code_challenge_method"] == ["S256"]

    callback = decide(provider, query, "allow")
    returned = parse_qs(urlsplit(callback).query)
    assert callback.startswith(f"http://localhost:{app.port}/auth/callback?")
    assert returned["state"] == [state] and returned["code"][0]

    # The callback trades the code for a token, fetches the user, and signs them in.
    response = session.get(path_of(callback))
    assert response.status == 302 and response.headers["Location"] == "/"
    assert "oauth_state" not in session.cookies and "oauth_verifier" not in session.cookies
    profile = json.loads(decode_signed_value(cookie_secret, "user", session.cookies["user"]))
    assert profile == {"id": "1001", "name": "Ada Lovelace", "email": "ada@example.com"}
    user_cookie = set_cookies(response)["user"]
    assert user_cookie["httponly"] and user_cookie["secure"] and user_cookie["samesite"] == "Lax"

    page = session.get("/")
    assert page.status == 200 and "Signed in as Ada Lovelace (ada@example.com)." in page.text

    # The same callback a second time: the state cookie is gone, so it is refused.
    again = session.get(path_of(callback))
    assert again.status == 400 and "not started here" in again.text

    # The provider takes a code once, and only with the client secret.
    code = returned["code"][0]
    token_request = {"grant_type": "authorization_code", "code": code, "redirect_uri": query["redirect_uri"][0],
                     "client_id": "guide-demo", "client_secret": secrets_in_environment["OAUTH_CLIENT_SECRET"],
                     "code_verifier": verifier.decode()}  # fmt: skip
    answer = provider.post("/token", form=token_request)
    assert (answer.status, answer.json()) == (400, {"error": "invalid_grant"})
    answer = provider.post("/token", form={**token_request, "client_secret": "guess"})
    assert (answer.status, answer.json()) == (401, {"error": "invalid_client"})


def test_a_code_without_its_pkce_verifier_is_refused(servers, secrets_in_environment):
    app, provider = servers
    session = app.session()
    query = start_login(session, app, provider)
    code = parse_qs(urlsplit(decide(provider, query, "allow")).query)["code"][0]
    # Someone who intercepted the code, but not the verifier in the user's cookie.
    token_request = {"grant_type": "authorization_code", "code": code, "redirect_uri": query["redirect_uri"][0],
                     "client_id": "guide-demo", "client_secret": secrets_in_environment["OAUTH_CLIENT_SECRET"],
                     "code_verifier": secrets.token_urlsafe(48)}  # fmt: skip
    answer = provider.post("/token", form=token_request)
    assert (answer.status, answer.json()) == (400, {"error": "invalid_grant"})


def test_redirect_uri_comes_from_configuration_not_from_host(servers):
    app, _ = servers
    response = app.get("/login", headers={"Host": "evil.example"})
    redirect_uri = parse_qs(urlsplit(response.headers["Location"]).query)["redirect_uri"]
    assert redirect_uri == [f"http://localhost:{app.port}/auth/callback"]


def test_a_wrong_state_is_refused(servers, replay):
    app, provider = servers
    session = app.session()
    query = start_login(session, app, provider)
    callback = decide(provider, {**query, "state": ["forged"]}, "allow")
    response = session.get(path_of(callback))
    assert response.status == 400 and "This sign-in was not started here" in response.text
    assert "user" not in session.cookies
    # Without any state cookie (a link from another site), the same refusal.
    assert app.get("/auth/callback?code=stolen&state=guess").status == 400
    replay("login-refused.console", app)


def test_an_error_from_the_provider_is_a_clear_403(servers):
    app, provider = servers
    session = app.session()
    query = start_login(session, app, provider)
    callback = decide(provider, query, "deny")
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]
    response = session.get(path_of(callback))
    assert response.status == 403
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "The provider did not sign you in (access_denied)." in response.text
    assert "user" not in session.cookies
    # The error text comes from the URL, so anyone can write it: the template escapes it.
    query = start_login(session, app, provider)
    response = session.get("/auth/callback?" + urlencode({"state": query["state"][0], "error": "<b>"}))
    assert response.status == 403 and "(&lt;b&gt;)" in response.text and "<b>" not in response.text


HOSTILE_REDIRECT_URIS = [
    "https://evil.example/cb",
    "http://evil.example\\@localhost/cb",
    "javascript://localhost/",
    "http://localhost:1/auth/callback",
    "http://127.0.0.1:{port}/auth/callback",
    "HTTP://LOCALHOST:{port}/auth/callback",
    "http://localhost:{port}/auth/callback/../../evil",
    "http://localhost:{port}/auth/callback?next=https://evil.example/",
    "http://localhost:{port}/auth/callback#x",
    "http://user@localhost:{port}/auth/callback",
    "http://localhost:{port}/auth/callback ",
]


def test_the_provider_accepts_only_the_registered_redirect_uri(servers):
    app, provider = servers
    for template in HOSTILE_REDIRECT_URIS:
        redirect_uri = template.format(port=app.port)
        fields = {"response_type": "code", "client_id": "guide-demo", "redirect_uri": redirect_uri,
                  "code_challenge": "x" * 43, "code_challenge_method": "S256"}  # fmt: skip
        assert provider.get("/authorize?" + urlencode(fields)).status == 400, redirect_uri
        assert provider.get("/decide?" + urlencode({**fields, "decision": "allow"})).status == 400, redirect_uri


def test_a_code_the_provider_refuses_is_400(servers):
    app, provider = servers
    session = app.session()
    query = start_login(session, app, provider)
    response = session.get("/auth/callback?" + urlencode({"state": query["state"][0], "code": "made-up"}))
    assert response.status == 400 and "The provider refused the sign-in." in response.text
    assert "user" not in session.cookies


def callback_with_any_code(app):
    session = app.session()
    response = session.get("/login")
    state = parse_qs(urlsplit(response.headers["Location"]).query)["state"][0]
    return session.get("/auth/callback?" + urlencode({"state": state, "code": "any"}))


def test_an_unreachable_provider_is_a_502_not_a_crash(start_example, secrets_in_environment):
    app = start_app(start_example, f"http://127.0.0.1:{free_port()}")
    response = callback_with_any_code(app)
    assert response.status == 502 and "The provider cannot be reached." in response.text


@pytest.fixture
def silent_provider():
    """A provider that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_provider_that_never_answers_is_a_504(start_example, secrets_in_environment, silent_provider):
    app = start_app(start_example, silent_provider, "--provider_timeout=1")
    response = callback_with_any_code(app)
    assert response.status == 504 and "The provider did not answer in time." in response.text


@pytest.fixture
def odd_provider():
    """A provider whose token endpoint answers 200 with whatever body the test sets."""
    answer = {"body": b"{}", "status": 200, "profile": b"{}"}

    class Handler(BaseHTTPRequestHandler):
        def send(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):  # the token endpoint
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send(answer["status"], answer["body"])

        def do_GET(self):  # the profile endpoint
            self.send(200, answer["profile"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", answer
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, b"{}", "The provider's answer lacks what a sign-in needs."),
        (200, b'{"token_type": "Bearer"}', "The provider's answer lacks what a sign-in needs."),
        (200, b"<html>maintenance</html>", "The provider's answer is not JSON."),
        (200, b"[1, 2]", "The provider's answer is not a JSON object."),
        (500, b"{}", "The provider failed."),
        (200, b'{"access_token": "t"}', "The provider's answer lacks what a sign-in needs."),
    ],
)
def test_an_unusable_answer_is_a_502(start_example, secrets_in_environment, odd_provider, status, body, message):
    url, answer = odd_provider
    answer.update(status=status, body=body)
    app = start_app(start_example, url)
    response = callback_with_any_code(app)
    assert response.status == 502 and message in html.unescape(response.text)


def test_no_secret_no_server(run_example, monkeypatch):
    monkeypatch.delenv("COOKIE_SECRET", raising=False)
    monkeypatch.setenv("OAUTH_CLIENT_ID", "guide-demo")
    monkeypatch.setenv("OAUTH_CLIENT_SECRET", "x")
    done = run_example("login.py", "--port=0")
    assert done.returncode == 1
    assert "set COOKIE_SECRET in the environment (32 characters or more)" in done.stderr


def test_the_login_in_a_real_browser(servers, browser):
    """Chromium follows the redirects and keeps the Secure, SameSite=Lax cookies on http://localhost."""
    app, provider = servers
    context = browser.new_context()
    try:
        page = context.new_page()
        # localhost and 127.0.0.1 are different sites: the way back from the provider is cross-site.
        page.goto(f"http://localhost:{app.port}/")
        page.click("text=Sign in with the provider")
        assert page.url.startswith(provider.url + "/authorize?")
        page.click("button[value=allow]")
        expect(page.locator("body")).to_contain_text("Signed in as Ada Lovelace (ada@example.com).")
        assert page.url == f"http://localhost:{app.port}/"
    finally:
        context.close()
