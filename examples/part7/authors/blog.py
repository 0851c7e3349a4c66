import asyncio
import datetime
import getpass
import hashlib
import hmac
import http.client
import os
import re
import sqlite3
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("db", default="blog.sqlite3", help="path of the SQLite database file")
define("create_author", default="", help="add an author with this name, then exit")

SESSION_DAYS = 7
COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")
MAX_TITLE = 200
MAX_BODY = 20_000

HERE = Path(__file__).resolve().parent

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    author TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_date ON entries (published);
CREATE TABLE IF NOT EXISTS authors (
    name TEXT PRIMARY KEY,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL
);
"""


# The data-access layer: plain functions that take a connection.
def create_schema(db):
    db.executescript(SCHEMA)


def recent_entries(db, limit):
    return db.execute("SELECT * FROM entries ORDER BY published DESC, id DESC LIMIT ?", (limit,)).fetchall()


def all_titles(db):
    return db.execute("SELECT id, title, published FROM entries ORDER BY published DESC, id DESC").fetchall()


def get_entry(db, entry_id):
    return db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def add_entry(db, author, title, body):
    stamp = now()
    cursor = db.execute(
        "INSERT INTO entries (author, title, body, published, updated) VALUES (?, ?, ?, ?, ?)",
        (author, title, body, stamp, stamp),
    )
    return cursor.lastrowid


def update_entry(db, entry_id, title, body):
    cursor = db.execute("UPDATE entries SET title = ?, body = ?, updated = ? WHERE id = ?", (title, body, now(), entry_id))
    return cursor.rowcount == 1


def get_author(db, name):
    return db.execute("SELECT * FROM authors WHERE name = ?", (name,)).fetchone()


def add_author(db, name, password):
    salt = os.urandom(16)
    db.execute("INSERT INTO authors (name, salt, hash) VALUES (?, ?, ?)", (name, salt, hash_password(password, salt)))


def hash_password(password, salt):
    # Slow on purpose: about 50 ms and 16 MiB of memory for each guess.
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)


def check_password(author, password):
    """True if password is the author's. author may be None: the work is the same."""
    salt, expected = (author["salt"], author["hash"]) if author else (os.urandom(16), os.urandom(32))
    return hmac.compare_digest(hash_password(password, salt), expected) and author is not None


class Store:
    """Runs the functions above in a few threads, each with its own connection."""

    def __init__(self, path, threads=4):
        self.path = path
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="sqlite")

    def _connection(self):
        # A sqlite3 connection belongs to the thread that opened it.
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return db

    def _call(self, function, args):
        db = self._connection()
        with db:  # commit if the function returns, roll back if it raises
            return function(db, *args)

    async def run(self, function, *args):
        return await IOLoop.current().run_in_executor(self._executor, self._call, function, args)


def paragraphs(text):
    """Split plain text at blank lines."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


class Entry(tornado.web.UIModule):
    """One entry: its title, date, author and paragraphs."""

    def render(self, entry, link=True):
        return self.render_string("modules/entry.html", entry=entry, link=link, paragraphs=paragraphs)


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, store):
        self.store = store

    async def prepare(self):
        # get_current_user cannot wait for the database, so the lookup happens here.
        name = self.get_signed_cookie("author", max_age_days=SESSION_DAYS)
        if name is not None and await self.store.run(get_author, name.decode()):
            self.current_user = name.decode()

    def write_error(self, status_code, **kwargs):
        reason = http.client.responses.get(status_code, "Error")
        self.render("error.html", status_code=status_code, reason=reason)


class HomeHandler(BaseHandler):
    async def get(self):
        self.render("home.html", entries=await self.store.run(recent_entries, 5))


class EntryHandler(BaseHandler):
    async def get(self, entry_id):
        entry = await self.store.run(get_entry, int(entry_id))
        if entry is None:
            raise tornado.web.HTTPError(404)
        self.render("entry.html", entry=entry)


class ArchiveHandler(BaseHandler):
    async def get(self):
        self.render("archive.html", entries=await self.store.run(all_titles))


class FeedHandler(BaseHandler):
    async def get(self):
        self.set_header("Content-Type", "application/atom+xml; charset=UTF-8")
        self.render("feed.xml", entries=await self.store.run(recent_entries, 10))


class LoginHandler(BaseHandler):
    def get(self):
        self.render("login.html", error=None, next=self.get_query_argument("next", "/"))

    async def post(self):
        name = self.get_body_argument("name")
        password = self.get_body_argument("password")
        next_url = self.get_body_argument("next", "/")
        author = await self.store.run(get_author, name)
        # Hashing takes tens of milliseconds: keep it off the event loop too.
        if not await IOLoop.current().run_in_executor(None, check_password, author, password):
            self.set_status(403)
            self.render("login.html", error="Wrong name or password.", next=next_url)
            return
        self.set_signed_cookie("author", name, expires_days=SESSION_DAYS, **COOKIE_FLAGS)
        self.redirect(local_path(next_url))


class LogoutHandler(BaseHandler):
    def post(self):
        self.clear_cookie("author", **COOKIE_FLAGS)
        self.redirect(self.reverse_url("home"))


def local_path(url):
    """Return url if it is a path on this site; anything else becomes "/"."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url and url.isprintable():
        return url
    return "/"


class ComposeHandler(BaseHandler):
    """GET shows the form, empty or with an entry to edit; POST saves it."""

    @tornado.web.authenticated
    async def get(self):
        entry_id = self.get_query_argument("id", None)
        entry = None
        if entry_id is not None:
            entry = await self.store.run(get_entry, self.entry_id(entry_id))
            if entry is None:
                raise tornado.web.HTTPError(404)
        self.render("compose.html", entry=entry, error=None)

    @tornado.web.authenticated
    async def post(self):
        entry_id = self.get_body_argument("id", None)
        title = self.get_body_argument("title").strip()
        body = self.get_body_argument("body").strip()
        error = check_entry(title, body)
        if error:
            self.set_status(400)
            form = dict(id=entry_id, title=title, body=body)
            self.render("compose.html", entry=form, error=error)
            return
        if entry_id is None:
            entry_id = await self.store.run(add_entry, self.current_user, title, body)
        elif not await self.store.run(update_entry, self.entry_id(entry_id), title, body):
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("entry", entry_id))

    def entry_id(self, text):
        if not text.isdigit():
            raise tornado.web.HTTPError(404)
        return int(text)


def check_entry(title, body):
    """The error message for a title and body that cannot be saved, or None."""
    if not title:
        return "The title is empty."
    if len(title) > MAX_TITLE:
        return f"The title is longer than {MAX_TITLE} characters."
    if not body:
        return "The text is empty."
    if len(body) > MAX_BODY:
        return f"The text is longer than {MAX_BODY} characters."
    return None


def make_app(store, cookie_secret):
    services = dict(store=store)
    return tornado.web.Application(
        [
            tornado.web.url(r"/", HomeHandler, services, name="home"),
            tornado.web.url(r"/entry/([0-9]+)", EntryHandler, services, name="entry"),
            tornado.web.url(r"/archive", ArchiveHandler, services, name="archive"),
            tornado.web.url(r"/feed.atom", FeedHandler, services, name="feed"),
            tornado.web.url(r"/compose", ComposeHandler, services, name="compose"),
            tornado.web.url(r"/login", LoginHandler, services, name="login"),
            tornado.web.url(r"/logout", LogoutHandler, services, name="logout"),
        ],
        cookie_secret=cookie_secret,
        login_url="/login",
        xsrf_cookies=True,
        template_path=HERE / "templates",
        static_path=HERE / "static",
        ui_modules={"Entry": Entry},
    )


def read_cookie_secret():
    secret = os.environ.get("COOKIE_SECRET", "")
    if len(secret) < 32:
        sys.exit("Set COOKIE_SECRET to 32 or more random characters (see Part V)")
    return secret


def create_author(path, name):
    """The --create-author command: runs before any event loop, so it may block."""
    password = os.environ.get("AUTHOR_PASSWORD") or getpass.getpass(f"Password for {name}: ")
    if len(password) < 8:
        sys.exit("Choose a password of 8 or more characters")
    with sqlite3.connect(path) as db:
        create_schema(db)
        try:
            add_author(db, name, password)
        except sqlite3.IntegrityError:
            sys.exit(f"There is already an author called {name}")
    db.close()
    print(f"Author {name} created")


async def main():
    parse_command_line()
    if options.create_author:
        create_author(options.db, options.create_author)
        return
    cookie_secret = read_cookie_secret()
    store = Store(options.db)
    await store.run(create_schema)
    app = make_app(store, cookie_secret)
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
