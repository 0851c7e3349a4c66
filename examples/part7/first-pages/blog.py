import asyncio
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("db", default="blog.sqlite3", help="path of the SQLite database file")
define("public_url", default="http://localhost:8888", help="the blog's address as readers see it")

MAX_ID = 2**63 - 1  # the largest SQLite INTEGER
MAX_REQUEST = 4 * 1024  # no page of this step takes a request body

HERE = Path(__file__).resolve().parent

# ANCHOR: schema
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
"""
# ANCHOR_END: schema


def create_database_file(path):
    """Create the file readable by its owner only, before SQLite opens it."""
    Path(path).touch(mode=0o600, exist_ok=True)


# ANCHOR: queries
# The data-access layer: plain functions that take a connection.
def create_schema(db):
    db.executescript(SCHEMA)


def recent_entries(db, limit):
    return db.execute("SELECT * FROM entries ORDER BY published DESC, id DESC LIMIT ?", (limit,)).fetchall()


def all_titles(db):
    return db.execute("SELECT id, title, published FROM entries ORDER BY published DESC, id DESC").fetchall()


def get_entry(db, entry_id):
    return db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()


# ANCHOR_END: queries


def parse_id(text):
    """The entry id that text spells, or None: ASCII digits only, within SQLite's INTEGER."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


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


# ANCHOR: entry_module
def paragraphs(text):
    """Split plain text at blank lines."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


class Entry(tornado.web.UIModule):
    """One entry: its title, date, author and paragraphs."""

    def render(self, entry, link=True):
        return self.render_string("modules/entry.html", entry=entry, link=link, paragraphs=paragraphs)


# ANCHOR_END: entry_module


# Characters that XML 1.0 forbids. A feed that contains one is not XML at all.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return NOT_IN_XML.sub("", text)


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # No file name holds a NUL character; Tornado 6.6.1 would answer 500.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400, "NUL character in path")
        return super().parse_url_path(url_path)


# ANCHOR: handlers
class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, store):
        self.store = store


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


# ANCHOR_END: handlers


def make_app(store, public_url):
    services = dict(store=store)
    return tornado.web.Application(
        [
            tornado.web.url(r"/", HomeHandler, services, name="home"),
            tornado.web.url(r"/entry/([0-9]+)", EntryHandler, services, name="entry"),
            tornado.web.url(r"/archive", ArchiveHandler, services, name="archive"),
            tornado.web.url(r"/feed.atom", FeedHandler, services, name="feed"),
        ],
        public_url=public_url.rstrip("/"),
        template_path=HERE / "templates",
        static_path=HERE / "static",
        static_handler_class=StrictStaticFileHandler,
        ui_modules={"Entry": Entry},
    )


async def main():
    parse_command_line()
    create_database_file(options.db)
    store = Store(options.db)
    await store.run(create_schema)
    app = make_app(store, options.public_url)
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_REQUEST)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
