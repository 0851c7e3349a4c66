import asyncio
import hmac
import json
import os
import secrets
import sys
import urllib.parse
from pathlib import Path

import tornado.auth
import tornado.httpclient
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("provider_url", default="http://127.0.0.1:9999", help="base URL of the OAuth 2 provider")

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


class HomeHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        cookie = self.get_signed_cookie("user")
        return json.loads(cookie) if cookie else None

    def get(self):
        self.render("home.html")


class ProviderHandler(tornado.web.RequestHandler, tornado.auth.OAuth2Mixin):
    """The base of the two login handlers: OAuth2Mixin pointed at one provider."""

    def initialize(self, provider_url, client_id, client_secret):
        # OAuth2Mixin reads these two attributes; the addresses come from an option.
        self._OAUTH_AUTHORIZE_URL = provider_url + "/authorize"
        self._OAUTH_ACCESS_TOKEN_URL = provider_url + "/token"
        self.userinfo_url = provider_url + "/userinfo"
        self.client_id = client_id
        self.client_secret = client_secret

    def redirect_uri(self):
        return f"{self.request.protocol}://{self.request.host}{self.reverse_url('callback')}"


class LoginHandler(ProviderHandler):
    def get(self):
        state = secrets.token_urlsafe(32)
        self.set_signed_cookie("oauth_state", state, expires_days=None, **COOKIE_FLAGS)
        self.authorize_redirect(
            redirect_uri=self.redirect_uri(),
            client_id=self.client_id,
            scope=["openid", "profile", "email"],
            extra_params={"state": state},
        )


class CallbackHandler(ProviderHandler):
    async def get(self):
        expected = self.get_signed_cookie("oauth_state", max_age_days=STATE_MAX_AGE_DAYS)
        self.clear_cookie("oauth_state", **COOKIE_FLAGS)  # a state is good for one try
        state = self.get_query_argument("state", "").encode()
        if expected is None or not hmac.compare_digest(state, expected):
            return self.refuse(400, "This sign-in was not started here, or it took too long.")
        error = self.get_query_argument("error", None)
        if error is not None:
            return self.refuse(403, f"The provider did not sign you in ({error}).")
        code = self.get_query_argument("code")
        try:
            tokens = await self.exchange_code(code)
            user = await self.fetch_user(tokens["access_token"])
        except tornado.httpclient.HTTPClientError:
            return self.refuse(400, "The provider refused the sign-in.")
        except OSError:
            return self.refuse(502, "The provider cannot be reached.")
        # Keep who the user is, not the access token: a signed cookie is readable.
        profile = {"id": user["sub"], "name": user["name"], "email": user["email"]}
        self.set_signed_cookie("user", json.dumps(profile), **COOKIE_FLAGS)
        self.redirect("/")

    async def exchange_code(self, code):
        body = urllib.parse.urlencode({
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri(),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        })
        client = self.get_auth_http_client()
        response = await client.fetch(self._OAUTH_ACCESS_TOKEN_URL, method="POST", body=body)
        return json.loads(response.body)

    async def fetch_user(self, access_token):
        client = self.get_auth_http_client()
        headers = {"Authorization": f"Bearer {access_token}"}
        response = await client.fetch(self.userinfo_url, headers=headers)
        return json.loads(response.body)

    def refuse(self, status, message):
        self.set_status(status)
        self.render("refused.html", message=message)


def make_app(provider_url, client_id, client_secret, cookie_secret):
    provider = dict(provider_url=provider_url, client_id=client_id, client_secret=client_secret)
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
    )
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
