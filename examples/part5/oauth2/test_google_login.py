import inspect
import os
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import tornado.auth
from tornado.web import decode_signed_value


@pytest.fixture
def google_app(start_example, monkeypatch):
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "1234-example.apps.googleusercontent.com")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", secrets.token_hex(16))
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    return start_example("google_login.py", "--public_url=https://guide.example")


def test_login_sends_the_browser_to_google_with_the_settings(google_app):
    session = google_app.session()
    response = session.get("/auth/google", headers={"Host": "evil.example"})
    assert response.status == 302
    location = urlsplit(response.headers["Location"])
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
    assert decode_signed_value(secret, "oauth_state", session.cookies["oauth_state"]) == state.encode()

    # Back from Google with a refusal: a clear 403, without asking Google anything.
    response = session.get("/auth/google?" + urlencode({"state": state, "error": "access_denied"}))
    assert response.status == 403 and "Google did not sign you in." in response.text
    # A state that this browser never received: 400.
    assert google_app.get("/auth/google?" + urlencode({"state": state, "code": "x"})).status == 400


def test_the_userinfo_url_is_the_one_tornado_uses():
    from pathlib import Path

    source = (Path(__file__).parent / "google_login.py").read_text()
    assert f'USERINFO_URL = "{tornado.auth.GoogleOAuth2Mixin._OAUTH_USERINFO_URL}"' in source


def test_tornados_google_token_request_has_no_pkce_argument():
    parameters = inspect.signature(tornado.auth.GoogleOAuth2Mixin.get_authenticated_user).parameters
    assert list(parameters) == ["self", "redirect_uri", "code", "client_id", "client_secret"]
