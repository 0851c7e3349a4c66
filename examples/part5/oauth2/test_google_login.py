import os
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from tornado.web import decode_signed_value



@pytest.fixture
def google_app(start_example, monkeypatch):
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "1234-example.apps.googleusercontent.com")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", secrets.token_hex(16))
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    return start_example("google_login.py", "--public_url=https://guide.example")


def test_login_sends_the_browser_to_google_with_the_settings(new_browser, google_app):
    browser = new_browser()
    status, headers, _ = browser.get(google_app.url + "/auth/google")
    assert status == 302
    location = urlsplit(headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://accounts.google.com/o/oauth2/v2/auth"
    query = parse_qs(location.query)
    # The client ID comes from the google_oauth setting; the secret never leaves the server.
    assert query["client_id"] == ["1234-example.apps.googleusercontent.com"]
    assert "client_secret" not in query
    # redirect_uri comes from configuration, not from the Host header of the request.
    assert query["redirect_uri"] == ["https://guide.example/auth/google"]
    assert query["response_type"] == ["code"] and query["scope"] == ["openid profile email"]
    state = query["state"][0]
    secret = os.environ["COOKIE_SECRET"]
    assert decode_signed_value(secret, "oauth_state", browser.cookies["oauth_state"]) == state.encode()

    # Back from Google with a refusal: a clear 403, without asking Google anything.
    status, _, page = browser.get(google_app.url + "/auth/google?" + urlencode({"state": state, "error": "access_denied"}))
    assert status == 403 and "Google did not sign you in." in page
    # A state that this browser never received: 400.
    status, _, _ = new_browser().get(google_app.url + "/auth/google?" + urlencode({"state": state, "code": "x"}))
    assert status == 400
