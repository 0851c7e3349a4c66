import asyncio
import hmac
import json
import os
import secrets
import sys
from pathlib import Path

import tornado.auth
import tornado.httpclient
import tornado.simple_httpclient
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("public_url", default="http://localhost:8888", help="this site's address, as registered with Google")

COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")
STATE_MAX_AGE_DAYS = 10 / (24 * 60)
# Google's profile endpoint; Tornado keeps its own copy in a private attribute.
USERINFO_URL = "https://www.googleapis.com/oauth2/v1/userinfo"


def from_environment(name, min_length=1):
    value = os.environ.get(name, "")
    if len(value) < min_length:
        sys.exit(f"google_login.py: error: set {name} in the environment ({min_length} characters or more)")
    return value


class HomeHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        cookie = self.get_signed_cookie("user", min_version=2)
        return json.loads(cookie) if cookie else None

    def get(self):
        self.render("home.html")


class GoogleLoginHandler(tornado.web.RequestHandler, tornado.auth.GoogleOAuth2Mixin):
    async def get(self):
        # Google compares redirect_uri with the registered one, character for character.
        redirect_uri = self.settings["public_url"] + self.reverse_url("login")
        if self.get_query_argument("state", None) is None:
            state = secrets.token_urlsafe(32)
            self.set_signed_cookie("oauth_state", state, expires_days=None, **COOKIE_FLAGS)
            self.authorize_redirect(
                redirect_uri=redirect_uri,
                client_id=self.get_google_oauth_settings()["key"],
                scope=["openid", "profile", "email"],
                extra_params={"state": state},
            )
            return
        expected = self.get_signed_cookie("oauth_state", max_age_days=STATE_MAX_AGE_DAYS, min_version=2)
        self.clear_cookie("oauth_state", **COOKIE_FLAGS)
        state = self.get_query_argument("state").encode()
        if expected is None or not hmac.compare_digest(state, expected):
            return self.refuse(400, "This sign-in was not started here, or it took too long.")
        if self.get_query_argument("error", None) is not None:
            return self.refuse(403, "Google did not sign you in.")
        try:
            # POSTs the code with the key and secret of the google_oauth setting.
            tokens = await self.get_authenticated_user(redirect_uri=redirect_uri, code=self.get_query_argument("code"))
            user = await self.oauth2_request(USERINFO_URL, access_token=tokens["access_token"])
            profile = {"id": user["id"], "name": user["name"], "email": user["email"]}
        except tornado.simple_httpclient.HTTPTimeoutError:
            return self.refuse(504, "Google did not answer in time.")
        except tornado.httpclient.HTTPClientError as error:
            if error.response is not None and 400 <= error.code < 500:
                return self.refuse(400, "Google refused the sign-in.")
            return self.refuse(502, "Google failed.")
        except OSError:
            return self.refuse(502, "Google cannot be reached.")
        except (ValueError, KeyError, TypeError):  # not JSON, or fields missing
            return self.refuse(502, "Google's answer lacks what a sign-in needs.")
        self.set_signed_cookie("user", json.dumps(profile), **COOKIE_FLAGS)
        self.redirect("/")

    def refuse(self, status, message):
        self.set_status(status)
        self.render("refused.html", message=message)


def make_app(public_url, google_oauth, cookie_secret):
    return tornado.web.Application(
        [
            (r"/", HomeHandler),
            tornado.web.url(r"/auth/google", GoogleLoginHandler, name="login"),
        ],
        google_oauth=google_oauth,
        public_url=public_url,
        cookie_secret=cookie_secret,
        template_path=Path(__file__).parent / "templates",
    )


async def main():
    parse_command_line()
    google_oauth = {
        "key": from_environment("GOOGLE_CLIENT_ID"),
        "secret": from_environment("GOOGLE_CLIENT_SECRET"),
    }
    app = make_app(options.public_url.rstrip("/"), google_oauth, from_environment("COOKIE_SECRET", 32))
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
