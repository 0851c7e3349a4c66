import asyncio
import hashlib
import hmac
import os
import secrets
import sys
import time
from pathlib import Path

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

# ANCHOR: settings
SESSION_DAYS = 7
COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")
# ANCHOR_END: settings

# ANCHOR: scrypt
# scrypt needs 128 * n * r bytes of memory for each hash: 16 MiB here.
SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)
# hashlib refuses more than 32 MiB unless maxmem allows it; leave a margin.
SCRYPT_MAXMEM = 2 * 128 * SCRYPT["n"] * SCRYPT["r"]


def hash_password(password, salt):
    # scrypt is slow on purpose and needs much memory, so each guess costs
    # whoever tries passwords against stolen hashes.
    return hashlib.scrypt(password.encode(), salt=salt, maxmem=SCRYPT_MAXMEM, **SCRYPT)


# ANCHOR_END: scrypt


class UserStore:
    """User names with their salts and password hashes, kept in memory."""

    def __init__(self):
        self._users = {}
        # Checked when a name is unknown, so that the answer takes as long.
        self._nobody = (os.urandom(16), os.urandom(32))

    def add(self, name, password):
        salt = os.urandom(16)
        self._users[name] = (salt, hash_password(password, salt))

    async def exists(self, name):
        # A real store would query a database here, hence the coroutine.
        return name in self._users

    async def check(self, name, password):
        salt, expected = self._users.get(name, self._nobody)
        # Hash in a thread: 50 ms of work would stall every other request.
        actual = await IOLoop.current().run_in_executor(None, hash_password, password, salt)
        return hmac.compare_digest(actual, expected) and name in self._users


class AttemptLimiter:
    """At most max_failures failed logins per user name within window seconds."""

    def __init__(self, max_failures=5, window=15 * 60, max_names=10_000):
        self.max_failures, self.window, self.max_names = max_failures, window, max_names
        self.failures = {}  # user name -> times of its recent failures

    def recent(self, name):
        now = time.monotonic()
        return [t for t in self.failures.get(name, []) if t > now - self.window]

    def blocked(self, name):
        return len(self.recent(name)) >= self.max_failures

    def failed(self, name):
        times = self.recent(name) + [time.monotonic()]
        self.failures.pop(name, None)
        self.failures[name] = times  # now the newest entry
        # Made-up names must not fill the memory: forget the oldest ones.
        while len(self.failures) > self.max_names:
            del self.failures[next(iter(self.failures))]

    def succeeded(self, name):
        self.failures.pop(name, None)


def local_path(url):
    """Return url if it is a path on this site; anything else becomes "/"."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url and url.isprintable():
        return url
    return "/"


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, users, notes, limiter):
        self.users = users
        self.notes = notes
        self.limiter = limiter

    async def prepare(self):
        # get_current_user() cannot await, and finding the user needs the
        # store: look it up here and set current_user before any method runs.
        name = self.get_signed_cookie("user", max_age_days=SESSION_DAYS, min_version=2)
        if name is not None and await self.users.exists(name.decode()):
            self.current_user = name.decode()


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
        # A password is taken as typed: get_body_argument strips spaces by default.
        password = self.get_body_argument("password", strip=False)
        next_url = self.get_body_argument("next", "/")
        if self.limiter.blocked(name):
            self.set_status(429)
            self.set_header("Retry-After", str(self.limiter.window))
            self.render("login.html", error="Too many failed attempts. Try again later.", next=next_url)
            return
        if not await self.users.check(name, password):
            self.limiter.failed(name)
            self.set_status(403)
            self.render("login.html", error="Wrong user name or password.", next=next_url)
            return
        self.limiter.succeeded(name)
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
    services = dict(users=users, notes={}, limiter=AttemptLimiter())
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
