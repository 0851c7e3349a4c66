import asyncio
import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

SESSION_DAYS = 7
COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")


def hash_password(password, salt):
    # scrypt is slow on purpose and needs 16 MiB of memory for each hash,
    # so each guess costs whoever tries passwords against stolen hashes.
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)


class UserStore:
    """User names with their salts and password hashes, kept in memory."""

    def __init__(self):
        self._users = {}
        # Checked when a name is unknown, so that the answer takes as long.
        self._nobody = (os.urandom(16), os.urandom(32))

    def add(self, name, password):
        salt = os.urandom(16)
        self._users[name] = (salt, hash_password(password, salt))

    def __contains__(self, name):
        return name in self._users

    async def check(self, name, password):
        salt, expected = self._users.get(name, self._nobody)
        # Hash in a thread: 50 ms of work would stall every other request.
        actual = await IOLoop.current().run_in_executor(None, hash_password, password, salt)
        return hmac.compare_digest(actual, expected) and name in self._users


def local_path(url):
    """Return url if it is a path on this site; anything else becomes "/"."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url and url.isprintable():
        return url
    return "/"


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, users, notes):
        self.users = users
        self.notes = notes

    def get_current_user(self):
        name = self.get_signed_cookie("user", max_age_days=SESSION_DAYS)
        if name is None or name.decode() not in self.users:
            return None
        return name.decode()


class NotesHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self):
        self.render("notes.html", notes=self.notes.get(self.current_user, []))

    @tornado.web.authenticated
    def post(self):
        self.notes.setdefault(self.current_user, []).append(self.get_body_argument("note"))
        self.redirect("/")


class LoginHandler(BaseHandler):
    def get(self):
        self.render("login.html", error=None, next=self.get_query_argument("next", "/"))

    async def post(self):
        name = self.get_body_argument("name")
        password = self.get_body_argument("password")
        next_url = self.get_body_argument("next", "/")
        if not await self.users.check(name, password):
            self.set_status(403)
            self.render("login.html", error="Wrong user name or password.", next=next_url)
            return
        self.set_signed_cookie("user", name, expires_days=SESSION_DAYS, **COOKIE_FLAGS)
        self.redirect(local_path(next_url))


class LogoutHandler(BaseHandler):
    def post(self):
        self.clear_cookie("user", **COOKIE_FLAGS)
        self.redirect("/login")


def read_cookie_secret():
    secret = os.environ.get("COOKIE_SECRET", "")
    if len(secret) < 32:
        sys.exit("Set COOKIE_SECRET to 32 or more random characters (see the page on cookies)")
    return secret


def demo_password():
    password = os.environ.get("DEMO_PASSWORD")
    if not password:
        password = secrets.token_urlsafe(12)
        print(f"Sign in as alice with the password {password}")
    return password


def make_app(cookie_secret, users):
    services = dict(users=users, notes={})
    return tornado.web.Application(
        [
            (r"/", NotesHandler, services),
            (r"/login", LoginHandler, services),
            (r"/logout", LogoutHandler, services),
        ],
        cookie_secret=cookie_secret,
        login_url="/login",
        xsrf_cookies=True,
        template_path=Path(__file__).parent / "templates",
    )


async def main():
    parse_command_line()
    cookie_secret = read_cookie_secret()
    users = UserStore()
    users.add("alice", demo_password())
    app = make_app(cookie_secret, users)
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
