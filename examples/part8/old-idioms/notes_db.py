import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("db", default="notes.sqlite3", help="path of the SQLite database file")

MAX_TEXT = 10_000


# Plain blocking functions; each opens its own connection, so any thread may run it.
def list_notes(path):
    with closing(sqlite3.connect(path, timeout=10)) as db:
        return db.execute("SELECT id, text FROM notes ORDER BY id").fetchall()


def add_note(path, text):
    with closing(sqlite3.connect(path, timeout=10)) as db, db:  # db: one transaction
        return db.execute("INSERT INTO notes (text) VALUES (?)", (text,)).lastrowid


class NotesHandler(tornado.web.RequestHandler):
    def initialize(self, path, executor):
        self.path = path
        self.executor = executor

    async def run(self, function, *args):
        # sqlite3 blocks: run it in a thread, so the event loop serves others meanwhile.
        return await IOLoop.current().run_in_executor(self.executor, function, self.path, *args)

    async def get(self):
        rows = await self.run(list_notes)
        self.write({"notes": [{"id": row[0], "text": row[1]} for row in rows]})

    async def post(self):
        text = self.get_body_argument("text")
        if not text or len(text) > MAX_TEXT:
            raise tornado.web.HTTPError(400, "empty or too long")
        note_id = await self.run(add_note, text)
        self.set_status(201)
        self.write({"id": note_id, "text": text})


def create_db(path):
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")  # readers go on while a writer writes
        db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")


def make_app(path, executor):
    return tornado.web.Application([(r"/notes", NotesHandler, dict(path=path, executor=executor))])


async def main():
    parse_command_line()
    create_db(options.db)
    app = make_app(options.db, ThreadPoolExecutor(4, thread_name_prefix="sqlite"))
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
