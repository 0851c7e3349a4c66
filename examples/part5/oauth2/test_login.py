import json
import secrets
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import expect, sync_playwright
from tornado.web import decode_signed_value

from tools.browser import launch
from tools.site import free_port


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


@pytest.fixture
def servers(start_example, secrets_in_environment):
    provider = start_example("fake_provider.py")
    app = start_example("login.py", f"--provider_url={provider.url}")
    return app, provider


def post_form(url, fields):
    request = Request(url, data=urlencode(fields).encode(), method="POST")
    try:
        with urlopen(request) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def start_login(browser, app, provider):
    """Steps 1 and 2: the application sends the browser to the provider, which asks the user."""
    status, headers, _ = browser.get(app.url + "/login")
    assert status == 302
    location = urlsplit(headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.url + "/authorize"
    query = parse_qs(location.query)
    status, _, page = browser.get(headers["Location"])
    assert status == 200 and "Allow" in page and "guide-demo" in page
    return query


def decide(browser, provider, query, decision):
    """The user clicks Allow or Deny; the provider sends the browser back to redirect_uri."""
    fields = {name: values[0] for name, values in query.items() if name in ("client_id", "redirect_uri", "state")}
    status, headers, _ = browser.get(provider.url + "/decide?" + urlencode({**fields, "decision": decision}))
    assert status == 302
    return headers["Location"]


def test_full_login_against_the_fake_provider(new_browser, servers, secrets_in_environment):
    app, provider = servers
    cookie_secret = secrets_in_environment["COOKIE_SECRET"]
    browser = new_browser()
    status, _, page = browser.get(app.url + "/")
    assert status == 200 and "Sign in with the provider" in page

    query = start_login(browser, app, provider)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["guide-demo"]
    assert query["redirect_uri"] == [app.url + "/auth/callback"]
    assert query["scope"] == ["openid profile email"]
    state = query["state"][0]
    assert len(state) >= 32
    # The state waits in a signed cookie, flagged like every cookie of the login.
    assert decode_signed_value(cookie_secret, "oauth_state", browser.cookies["oauth_state"]) == state.encode()
    morsel = browser.morsels["oauth_state"]
    assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "Lax"

    callback = decide(browser, provider, query, "allow")
    returned = parse_qs(urlsplit(callback).query)
    assert callback.startswith(app.url + "/auth/callback?")
    assert returned["state"] == [state] and returned["code"][0]

    # The callback trades the code for a token, fetches the user, and signs them in.
    status, headers, _ = browser.get(callback)
    assert status == 302 and headers["Location"] == "/"
    assert "oauth_state" not in browser.cookies
    profile = json.loads(decode_signed_value(cookie_secret, "user", browser.cookies["user"]))
    assert profile == {"id": "1001", "name": "Ada Lovelace", "email": "ada@example.com"}
    assert browser.morsels["user"]["httponly"] and browser.morsels["user"]["secure"]

    status, _, page = browser.get(app.url + "/")
    assert status == 200 and "Signed in as Ada Lovelace (ada@example.com)." in page

    # The same callback a second time: the state cookie is gone, so it is refused.
    status, _, page = browser.get(callback)
    assert status == 400 and "not started here" in page

    # The provider takes a code once, and only with the client secret.
    code = returned["code"][0]
    token_request = {"grant_type": "authorization_code", "code": code, "redirect_uri": query["redirect_uri"][0],
                     "client_id": "guide-demo", "client_secret": secrets_in_environment["OAUTH_CLIENT_SECRET"]}  # fmt: skip
    assert post_form(provider.url + "/token", token_request) == (400, {"error": "invalid_grant"})
    assert post_form(provider.url + "/token", {**token_request, "client_secret": "guess"}) == (401, {"error": "invalid_client"})


def test_a_wrong_state_is_refused(new_browser, servers, replay):
    app, provider = servers
    browser = new_browser()
    query = start_login(browser, app, provider)
    callback = decide(browser, provider, {**query, "state": ["forged"]}, "allow")
    status, _, page = browser.get(callback)
    assert status == 400 and "This sign-in was not started here" in page
    assert "user" not in browser.cookies
    # Without any state cookie (a link from another site), the same refusal.
    status, _, _ = new_browser().get(app.url + "/auth/callback?code=stolen&state=guess")
    assert status == 400
    replay("login-refused.console", app)


def test_an_error_from_the_provider_is_a_clear_403(new_browser, servers):
    app, provider = servers
    browser = new_browser()
    query = start_login(browser, app, provider)
    callback = decide(browser, provider, query, "deny")
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]
    status, headers, page = browser.get(callback)
    assert status == 403
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "The provider did not sign you in (access_denied)." in page
    assert "user" not in browser.cookies
    # The error text comes from the URL, so anyone can write it: the template escapes it.
    query = start_login(browser, app, provider)
    status, _, page = browser.get(app.url + "/auth/callback?" + urlencode({"state": query["state"][0], "error": "<b>"}))
    assert status == 403 and "(&lt;b&gt;)" in page and "<b>" not in page


def test_the_provider_checks_redirect_uri_and_code(new_browser, servers):
    app, provider = servers
    query = urlencode({"response_type": "code", "client_id": "guide-demo", "redirect_uri": "https://evil.example/cb"})
    status, _, _ = new_browser().get(provider.url + "/authorize?" + query)
    assert status == 400
    browser = new_browser()
    query = start_login(browser, app, provider)
    status, _, page = browser.get(app.url + "/auth/callback?" + urlencode({"state": query["state"][0], "code": "made-up"}))
    assert status == 400 and "The provider refused the sign-in." in page
    assert "user" not in browser.cookies


def test_an_unreachable_provider_is_a_502_not_a_crash(new_browser, start_example, secrets_in_environment):
    app = start_example("login.py", f"--provider_url=http://127.0.0.1:{free_port()}")
    browser = new_browser()
    status, headers, _ = browser.get(app.url + "/login")
    assert status == 302
    state = parse_qs(urlsplit(headers["Location"]).query)["state"][0]
    status, _, page = browser.get(app.url + "/auth/callback?" + urlencode({"state": state, "code": "any"}))
    assert status == 502 and "The provider cannot be reached." in page


def test_no_secret_no_server(run_example, monkeypatch):
    monkeypatch.delenv("COOKIE_SECRET", raising=False)
    monkeypatch.setenv("OAUTH_CLIENT_ID", "guide-demo")
    monkeypatch.setenv("OAUTH_CLIENT_SECRET", "x")
    done = run_example("login.py", "--port=0")
    assert done.returncode == 1
    assert "set COOKIE_SECRET in the environment (32 characters or more)" in done.stderr


def test_the_login_in_a_real_browser(servers):
    """Chromium follows the redirects and keeps the Secure, SameSite=Lax cookies on http://localhost."""
    app, provider = servers
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        # localhost and 127.0.0.1 are different sites: the way back from the provider is cross-site.
        page.goto(f"http://localhost:{app.port}/")
        page.click("text=Sign in with the provider")
        assert page.url.startswith(provider.url + "/authorize?")
        page.click("button[value=allow]")
        expect(page.locator("body")).to_contain_text("Signed in as Ada Lovelace (ada@example.com).")
        assert page.url == f"http://localhost:{app.port}/"
        browser.close()
