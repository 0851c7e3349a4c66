import asyncio
import sqlite3

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("db", default="notes.sqlite3", help="path of the SQLite database file")


class NotesHandler(tornado.web.RequestHandler):
    def initialize(self, db):
        self.db = db

    def get(self):
        rows = self.db.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
        self.write({"notes": [{"id": row[0], "text": row[1]} for row in rows]})

    def post(self):
        text = self.get_body_argument("text")
        with self.db:  # one transaction: committed at the end of the block
            cursor = self.db.execute("INSERT INTO notes (text) VALUES (?)", (text,))
        self.set_status(201)
        self.write({"id": cursor.lastrowid, "text": text})


def open_db(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    return db


async def main():
    parse_command_line()
    db = open_db(options.db)
    app = tornado.web.Application([(r"/notes", NotesHandler, {"db": db})])
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
