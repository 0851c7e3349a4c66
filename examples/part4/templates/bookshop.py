import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

TEMPLATES = Path(__file__).resolve().parent / "templates"

BOOKS = [
    {"id": 1, "title": "Event Loops in Practice", "author": "Mei Chen",
     "price": 29.5, "stock": 4, "rating": 5},
    {"id": 2, "title": "The Patient Server", "author": "Tomás Ortega",
     "price": 18.0, "stock": 2, "rating": 3},
    {"id": 3, "title": "Sockets for Poets", "author": "Ada Lindqvist",
     "price": None, "stock": 0, "rating": 4},
]  # fmt: skip


class BookListHandler(tornado.web.RequestHandler):
    def get(self):
        query = self.get_argument("q", "")
        books = [book for book in BOOKS if query.lower() in book["title"].lower()]
        self.render("books.html", books=books, query=query)


class BookHandler(tornado.web.RequestHandler):
    def get(self, book_id):
        for book in BOOKS:
            if book["id"] == int(book_id):
                self.render("book.html", book=book)
                return
        raise tornado.web.HTTPError(404)


def make_app():
    return tornado.web.Application(
        [
            tornado.web.url(r"/", BookListHandler, name="books"),
            # One to nine ASCII digits, which int() always reads; any other
            # id, such as 5,000 digits or Arabic-Indic digits, matches no route: 404.
            tornado.web.url(r"/books/([0-9]{1,9})", BookHandler, name="book"),
        ],
        template_path=str(TEMPLATES),
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
