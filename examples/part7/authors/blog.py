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
define("public_url", default="http://localhost:8888", help="the blog's address as readers see it")
define("create_author", default="", help="add an author with this name, then exit")

SESSION_DAYS = 7
COOKIE_FLAGS = dict(httponly=True, secure=True, samesite="Lax")
MAX_TITLE = 200
MAX_BODY = 20_000
# The largest form: MAX_BODY characters of 4 UTF-8 bytes, each byte sent as %XX.
MAX_REQUEST = 256 * 1024
MAX_ID = 2**63 - 1  # the largest SQLite INTEGER

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
    hash BLOB NOT NULL,
    session INTEGER NOT NULL DEFAULT 0
);
"""


def create_database_file(path):
    """Create the file readable by its owner only: it holds the password hashes."""
    Path(path).touch(mode=0o600, exist_ok=True)


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
    # Microseconds: two saves in the same second must still differ (see update_entry).
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def add_entry(db, author, title, body):
    stamp = now()
    cursor = db.execute(
        "INSERT INTO entries (author, title, body, published, updated) VALUES (?, ?, ?, ?, ?)",
        (author, title, body, stamp, stamp),
    )
    return cursor.lastrowid


def update_entry(db, entry_id, updated, title, body):
    """Save an edit of the version stamped `updated`: "saved", "changed" or "missing"."""
    cursor = db.execute(
        "UPDATE entries SET title = ?, body = ?, updated = ? WHERE id = ? AND updated = ?",
        (title, body, now(), entry_id, updated),
    )
    if cursor.rowcount == 1:
        return "saved"
    # Same transaction: nobody can change the row between the UPDATE and this SELECT.
    return "changed" if get_entry(db, entry_id) else "missing"


def get_author(db, name):
    return db.execute("SELECT * FROM authors WHERE name = ?", (name,)).fetchone()


def add_author(db, name, password):
    salt = os.urandom(16)
    db.execute("INSERT INTO authors (name, salt, hash) VALUES (?, ?, ?)", (name, salt, hash_password(password, salt)))


def end_sessions(db, name):
    """Sign the author out everywhere: every cookie issued so far stops working."""
    db.execute("UPDATE authors SET session = session + 1 WHERE name = ?", (name,))


# ANCHOR: passwords
def hash_password(password, salt):
    # Slow on purpose: about 50 ms and 16 MiB of memory for each guess.
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)


def check_password(author, password):
    """True if password is the author's. author may be None: the work is the same."""
    salt, expected = (author["salt"], author["hash"]) if author else (os.urandom(16), os.urandom(32))
    return hmac.compare_digest(hash_password(password, salt), expected) and author is not None


# ANCHOR_END: passwords


def parse_id(text):
    """The entry id that text spells, or None: ASCII digits only, within SQLite's INTEGER."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def session_cookie(author):
    return f"{author['session']}:{author['name']}"


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


# Characters that XML 1.0 forbids. Tornado turns most control characters of a form
# into spaces, but not \x0b and \x0c, and a feed that contains one is not XML.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return NOT_IN_XML.sub("", text)


class Entry(tornado.web.UIModule):
    """One entry: its title, date, author and paragraphs."""

    def render(self, entry, link=True):
        return self.render_string("modules/entry.html", entry=entry, link=link, paragraphs=paragraphs)


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # No file name holds a NUL character; Tornado 6.6.1 would answer 500.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400, "NUL character in path")
        return super().parse_url_path(url_path)


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, store):
        self.store = store

    def set_default_headers(self):
        # No page of the blog may be framed by another site, and nothing is loaded from elsewhere.
        self.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
        self.set_header("X-Content-Type-Options", "nosniff")

    async def prepare(self):
        # get_current_user cannot wait for the database, so the lookup happens here.
        cookie = self.get_signed_cookie("author", max_age_days=SESSION_DAYS)
        if cookie is None:
            return
        session, _, name = cookie.decode().partition(":")
        author = await self.store.run(get_author, name)
        # After a sign-out, the author's session number has changed: old cookies stop working.
        if author is not None and str(author["session"]) == session:
            self.current_user = name

    def write_error(self, status_code, **kwargs):
        reason = http.client.responses.get(status_code, "Error")
        self.render("error.html", status_code=status_code, reason=reason)


class NotFoundHandler(BaseHandler):
    async def prepare(self):
        # Every path that no route matches: the blog's own 404 page.
        await super().prepare()
        raise tornado.web.HTTPError(404)


class HomeHandler(BaseHandler):
    async def get(self):
        self.render("home.html", entries=await self.store.run(recent_entries, 5))


class EntryHandler(BaseHandler):
    async def get(self, text):
        entry_id = parse_id(text)
        entry = None if entry_id is None else await self.store.run(get_entry, entry_id)
        if entry is None:
            raise tornado.web.HTTPError(404)
        self.render("entry.html", entry=entry)


class ArchiveHandler(BaseHandler):
    async def get(self):
        self.render("archive.html", entries=await self.store.run(all_titles))


class FeedHandler(BaseHandler):
    async def get(self):
        self.set_header("Content-Type", "application/atom+xml; charset=UTF-8")
        entries = await self.store.run(recent_entries, 10)
        # The address comes from the configuration, never from the Host header.
        self.render("feed.xml", entries=entries, home=self.settings["public_url"], xml_text=xml_text)


class LoginHandler(BaseHandler):
    def get(self):
        self.render("login.html", error=None, next=self.get_query_argument("next", "/"))

    async def post(self):
        name = self.get_body_argument("name")
        # strip=False: the password is compared as typed, spaces included.
        password = self.get_body_argument("password", strip=False)
        next_url = self.get_body_argument("next", "/")
        author = await self.store.run(get_author, name)
        # Hashing takes tens of milliseconds: keep it off the event loop too.
        if not await IOLoop.current().run_in_executor(None, check_password, author, password):
            self.set_status(403)
            self.render("login.html", error="Wrong name or password.", next=next_url)
            return
        cookie = session_cookie(author)
        self.set_signed_cookie("author", cookie, expires_days=SESSION_DAYS, **COOKIE_FLAGS)
        self.redirect(local_path(next_url))


class LogoutHandler(BaseHandler):
    async def post(self):
        if self.current_user:
            await self.store.run(end_sessions, self.current_user)
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
        text = self.get_query_argument("id", None)
        entry = None
        if text is not None:
            entry_id = parse_id(text)
            entry = None if entry_id is None else await self.store.run(get_entry, entry_id)
            if entry is None:
                raise tornado.web.HTTPError(404)
        self.render("compose.html", entry=entry, error=None, saved=None)

    @tornado.web.authenticated
    async def post(self):
        form = self.form()
        error = check_entry(form["title"], form["body"])
        if error:
            return self.show_form(400, form, error)
        if form["id"] is None:
            entry_id = await self.store.run(add_entry, self.current_user, form["title"], form["body"])
            return self.redirect(self.reverse_url("entry", entry_id))
        entry_id = parse_id(form["id"])
        result = "missing"
        if entry_id is not None:
            result = await self.store.run(update_entry, entry_id, form["updated"], form["title"], form["body"])
        if result == "missing":
            new = dict(form, id=None, updated=None)
            return self.show_form(404, new, "This entry does not exist. Publish to save your text as a new entry.")
        if result == "changed":
            saved = await self.store.run(get_entry, entry_id)
            message = "Someone saved this entry while you were writing. Publish again to replace their version."
            return self.show_form(409, dict(form, updated=saved["updated"]), message, saved=saved)
        self.redirect(self.reverse_url("entry", entry_id))

    def form(self):
        """What the author sent. Every field has a default: only a field that is not UTF-8 raises (400)."""
        return dict(
            id=self.get_body_argument("id", None),
            updated=self.get_body_argument("updated", ""),
            title=self.get_body_argument("title", ""),
            body=self.get_body_argument("body", ""),
        )

    def show_form(self, status, form, error, saved=None):
        """The form again, with the author's text in it, and what went wrong."""
        self.set_status(status)
        self.render("compose.html", entry=form, error=error, saved=saved)

    def write_error(self, status_code, **kwargs):
        # A POST refused with 403 (the sign-in expired, or the XSRF token no longer
        # matches) still carries the author's text: give it back in the form.
        if status_code == 403 and self.request.method == "POST" and self.sent_from_here():
            try:
                form = self.form()
            except tornado.web.HTTPError:  # a field that is not UTF-8: no text to give back
                return super().write_error(status_code, **kwargs)
            error = "Your text was not saved: you are signed out, or the form is too old. "
            error += "Sign in again in another tab, then publish from here."
            return self.show_form(403, form, error)
        super().write_error(status_code, **kwargs)

    def sent_from_here(self):
        """False when the browser says that another site sent the request."""
        site = self.request.headers.get("Sec-Fetch-Site")
        if site is not None:
            return site == "same-origin"
        origin = self.request.headers.get("Origin")
        return origin is None or origin == f"{self.request.protocol}://{self.request.host}"


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


def make_app(store, cookie_secret, public_url):
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
        default_handler_class=NotFoundHandler,
        default_handler_args=services,
        login_url="/login",
        xsrf_cookies=True,
        xsrf_cookie_kwargs=dict(COOKIE_FLAGS),
        cross_origin_protection=True,
        public_url=public_url.rstrip("/"),
        template_path=HERE / "templates",
        static_path=HERE / "static",
        static_handler_class=StrictStaticFileHandler,
        ui_modules={"Entry": Entry},
    )


def read_cookie_secret():
    secret = os.environ.get("COOKIE_SECRET", "")
    # 32 "a"s are 32 characters too: ask for some variety as well.
    if len(secret) < 32 or len(set(secret)) < 10:
        sys.exit("Set COOKIE_SECRET to 32 or more random characters (see Part V)")
    return secret


def create_author(path, name):
    """The --create-author command: runs before any event loop, so it may block."""
    if not name or name != name.strip() or not name.isprintable():
        sys.exit("An author's name has no control characters and no spaces at either end")
    password = os.environ.get("AUTHOR_PASSWORD") or getpass.getpass(f"Password for {name}: ")
    if len(password) < 8 or not password.isprintable():
        sys.exit("Choose a password of 8 or more characters, without tabs or line breaks")
    create_database_file(path)
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
    create_database_file(options.db)
    store = Store(options.db)
    await store.run(create_schema)
    app = make_app(store, cookie_secret, options.public_url)
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_REQUEST)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
