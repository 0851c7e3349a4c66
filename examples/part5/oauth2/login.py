import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import urllib.parse
from pathlib import Path

import tornado.auth
import tornado.httpclient
import tornado.simple_httpclient
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("provider_url", default="http://127.0.0.1:9999", help="base URL of the OAuth 2 provider")
define("public_url", default="http://localhost:8888", help="this site's address, as registered with the provider")
define("provider_timeout", default=10.0, type=float, help="seconds to wait for each answer of the provider")

# The same flags for every cookie of the login, when it is set and when it is cleared.
COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")
STATE_MAX_AGE_DAYS = 10 / (24 * 60)  # ten minutes to come back from the provider


def from_environment(name, min_length=1):
    # Secrets never appear in the source: whoever runs the server puts them
    # in the environment, and each installation has its own.
    value = os.environ.get(name, "")
    if len(value) < min_length:
        sys.exit(f"login.py: error: set {name} in the environment ({min_length} characters or more)")
    return value


def code_challenge(verifier):
    """PKCE: the SHA-256 of the verifier, in base64url without padding (method S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ProviderError(Exception):
    """The provider failed or sent something unusable: status and message for the user."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


class HomeHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        cookie = self.get_signed_cookie("user", min_version=2)
        return json.loads(cookie) if cookie else None

    def get(self):
        self.render("home.html")


class ProviderHandler(tornado.web.RequestHandler, tornado.auth.OAuth2Mixin):
    """The base of the two login handlers: OAuth2Mixin pointed at one provider."""

    def initialize(self, provider_url, client_id, client_secret, public_url, timeout):
        # OAuth2Mixin reads these two attributes; the addresses come from an option.
        self._OAUTH_AUTHORIZE_URL = provider_url + "/authorize"
        self._OAUTH_ACCESS_TOKEN_URL = provider_url + "/token"
        self.userinfo_url = provider_url + "/userinfo"
        self.client_id = client_id
        self.client_secret = client_secret
        self.public_url = public_url
        self.timeout = timeout

    def redirect_uri(self):
        # From the configuration, never from the Host header, which the client writes.
        return self.public_url + self.reverse_url("callback")


class LoginHandler(ProviderHandler):
    def get(self):
        state = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(48)  # PKCE: a secret for this one login
        self.set_signed_cookie("oauth_state", state, expires_days=None, **COOKIE_FLAGS)
        self.set_signed_cookie("oauth_verifier", verifier, expires_days=None, **COOKIE_FLAGS)
        self.authorize_redirect(
            redirect_uri=self.redirect_uri(),
            client_id=self.client_id,
            scope=["openid", "profile", "email"],
            extra_params={"state": state, "code_challenge": code_challenge(verifier),
                          "code_challenge_method": "S256"},
        )  # fmt: skip


class CallbackHandler(ProviderHandler):
    async def get(self):
        expected = self.get_signed_cookie("oauth_state", max_age_days=STATE_MAX_AGE_DAYS, min_version=2)
        verifier = self.get_signed_cookie("oauth_verifier", max_age_days=STATE_MAX_AGE_DAYS, min_version=2)
        self.clear_cookie("oauth_state", **COOKIE_FLAGS)  # a state is good for one try
        self.clear_cookie("oauth_verifier", **COOKIE_FLAGS)
        state = self.get_query_argument("state", "").encode()
        if expected is None or verifier is None or not hmac.compare_digest(state, expected):
            return self.refuse(400, "This sign-in was not started here, or it took too long.")
        error = self.get_query_argument("error", None)
        if error is not None:
            return self.refuse(403, f"The provider did not sign you in ({error}).")
        code = self.get_query_argument("code")
        try:
            tokens = await self.exchange_code(code, verifier.decode())
            user = await self.fetch_user(tokens["access_token"])
            # Keep who the user is, not the access token: a signed cookie is readable.
            profile = {"id": user["sub"], "name": user["name"], "email": user["email"]}
        except ProviderError as error:
            return self.refuse(error.status, error.message)
        except (KeyError, TypeError):
            return self.refuse(502, "The provider's answer lacks what a sign-in needs.")
        self.set_signed_cookie("user", json.dumps(profile), **COOKIE_FLAGS)
        self.redirect("/")

    async def call_provider(self, url, **kwargs):
        """One request to the provider: its JSON object, or a ProviderError."""
        client = self.get_auth_http_client()
        try:
            response = await client.fetch(url, request_timeout=self.timeout, **kwargs)
        except tornado.simple_httpclient.HTTPTimeoutError:
            raise ProviderError(504, "The provider did not answer in time.")
        except tornado.httpclient.HTTPClientError as error:
            if error.response is not None and 400 <= error.code < 500:
                raise ProviderError(400, "The provider refused the sign-in.")
            raise ProviderError(502, "The provider failed.")  # 5xx, or the connection closed
        except OSError:
            raise ProviderError(502, "The provider cannot be reached.")
        try:
            answer = json.loads(response.body)
        except ValueError:
            raise ProviderError(502, "The provider's answer is not JSON.")
        if not isinstance(answer, dict):
            raise ProviderError(502, "The provider's answer is not a JSON object.")
        return answer

    async def exchange_code(self, code, verifier):
        body = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri(),
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "code_verifier": verifier,
            }
        )
        return await self.call_provider(self._OAUTH_ACCESS_TOKEN_URL, method="POST", body=body)

    async def fetch_user(self, access_token):
        headers = {"Authorization": f"Bearer {access_token}"}
        return await self.call_provider(self.userinfo_url, headers=headers)

    def refuse(self, status, message):
        self.set_status(status)
        self.render("refused.html", message=message)


def make_app(provider_url, client_id, client_secret, cookie_secret, public_url, timeout=10.0):
    provider = dict(provider_url=provider_url, client_id=client_id, client_secret=client_secret,
                    public_url=public_url, timeout=timeout)  # fmt: skip
    return tornado.web.Application(
        [
            (r"/", HomeHandler),
            tornado.web.url(r"/login", LoginHandler, provider, name="login"),
            tornado.web.url(r"/auth/callback", CallbackHandler, provider, name="callback"),
        ],
        cookie_secret=cookie_secret,
        template_path=Path(__file__).parent / "templates",
    )


async def main():
    parse_command_line()
    app = make_app(
        options.provider_url.rstrip("/"),
        from_environment("OAUTH_CLIENT_ID"),
        from_environment("OAUTH_CLIENT_SECRET"),
        from_environment("COOKIE_SECRET", min_length=32),
        options.public_url.rstrip("/"),
        options.provider_timeout,
    )
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
