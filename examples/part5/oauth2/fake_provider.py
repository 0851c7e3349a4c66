"""A stand-in OAuth 2 provider, to try login.py on one machine without an account anywhere.

It knows one client, described by the same environment variables as login.py,
and it signs everybody in as the same user. It makes the main checks of a real
provider (one exact redirect_uri, PKCE, codes used once and soon), so those
mistakes in the client fail here as they would there.
"""

import asyncio
import base64
import hashlib
import hmac
import os
import secrets
import sys
import time
from pathlib import Path

import tornado.web
from tornado.httputil import url_concat
from tornado.options import define, options, parse_command_line

define("port", default=9999, type=int, help="port to listen on")
define(
    "redirect_uri", default="http://localhost:8888/auth/callback", help="the one redirect_uri registered for the client"
)

USER = {"sub": "1001", "name": "Ada Lovelace", "email": "ada@example.com"}
CODE_LIFETIME = 60  # seconds


class Provider:
    def __init__(self, client_id, client_secret, redirect_uri):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri  # registered with the client, as on a real provider's page
        self.codes = {}  # authorization code -> (redirect_uri, PKCE challenge, expiry time)
        self.tokens = {}  # access token -> user


def challenge_of(verifier):
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ProviderHandler(tornado.web.RequestHandler):
    def initialize(self, provider):
        self.provider = provider

    def checked_redirect_uri(self):
        if self.get_argument("client_id") != self.provider.client_id:
            raise tornado.web.HTTPError(400, reason="Unknown client_id")
        redirect_uri = self.get_argument("redirect_uri", strip=False)
        # Character for character: no other port, path, query, case or user part.
        if not hmac.compare_digest(redirect_uri.encode(), self.provider.redirect_uri.encode()):
            raise tornado.web.HTTPError(400, reason="Unregistered redirect_uri")
        return redirect_uri

    def checked_challenge(self):
        # PKCE is required: S256 and a base64url SHA-256 (43 characters).
        challenge = self.get_argument("code_challenge", "")
        if self.get_argument("code_challenge_method", "") != "S256" or len(challenge) != 43:
            raise tornado.web.HTTPError(400, reason="PKCE with S256 is required")
        return challenge


class AuthorizeHandler(ProviderHandler):
    def get(self):
        redirect_uri = self.checked_redirect_uri()
        if self.get_argument("response_type") != "code":
            raise tornado.web.HTTPError(400, reason="Unsupported response_type")
        self.render(
            "consent.html",
            client_id=self.provider.client_id,
            redirect_uri=redirect_uri,
            scope=self.get_argument("scope", ""),
            state=self.get_argument("state", ""),
            code_challenge=self.checked_challenge(),
        )


class DecideHandler(ProviderHandler):
    def get(self):
        redirect_uri = self.checked_redirect_uri()
        if self.get_argument("decision") == "allow":
            code = secrets.token_urlsafe(16)
            expiry = time.monotonic() + CODE_LIFETIME
            self.provider.codes[code] = (redirect_uri, self.checked_challenge(), expiry)
            answer = {"code": code}
        else:
            answer = {"error": "access_denied"}
        if self.get_argument("state", ""):
            answer["state"] = self.get_argument("state")
        self.redirect(url_concat(redirect_uri, answer))


class TokenHandler(ProviderHandler):
    def post(self):
        self.set_header("Cache-Control", "no-store")
        client_secret = self.get_body_argument("client_secret", "")
        if self.get_body_argument("client_id", "") != self.provider.client_id or not hmac.compare_digest(
            client_secret.encode(), self.provider.client_secret.encode()
        ):
            return self.oauth_error(401, "invalid_client")
        if self.get_body_argument("grant_type", "") != "authorization_code":
            return self.oauth_error(400, "unsupported_grant_type")
        # A code works once, for the redirect_uri it was issued to, for a short
        # time, and only with the PKCE verifier whose hash the login sent.
        issued = self.provider.codes.pop(self.get_body_argument("code", ""), None)
        verifier = self.get_body_argument("code_verifier", "")
        if (
            issued is None
            or issued[0] != self.get_body_argument("redirect_uri", "")
            or not hmac.compare_digest(challenge_of(verifier), issued[1])
            or issued[2] < time.monotonic()
        ):
            return self.oauth_error(400, "invalid_grant")
        access_token = secrets.token_urlsafe(32)
        self.provider.tokens[access_token] = USER
        self.write({"access_token": access_token, "token_type": "Bearer", "expires_in": 3600})

    def oauth_error(self, status, error):
        self.set_status(status)
        self.write({"error": error})


class UserInfoHandler(ProviderHandler):
    def get(self):
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        user = self.provider.tokens.get(token) if scheme == "Bearer" else None
        if user is None:
            self.set_status(401)
            self.set_header("WWW-Authenticate", "Bearer")
            self.finish({"error": "invalid_token"})
            return
        self.write(user)


def make_app(client_id, client_secret, redirect_uri):
    provider = dict(provider=Provider(client_id, client_secret, redirect_uri))
    return tornado.web.Application(
        [
            (r"/authorize", AuthorizeHandler, provider),
            (r"/decide", DecideHandler, provider),
            (r"/token", TokenHandler, provider),
            (r"/userinfo", UserInfoHandler, provider),
        ],
        template_path=Path(__file__).parent / "templates",
    )


async def main():
    parse_command_line()
    client_id = os.environ.get("OAUTH_CLIENT_ID", "")
    client_secret = os.environ.get("OAUTH_CLIENT_SECRET", "")
    if not client_id or not client_secret:
        sys.exit("fake_provider.py: error: set OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET in the environment")
    app = make_app(client_id, client_secret, options.redirect_uri)
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
