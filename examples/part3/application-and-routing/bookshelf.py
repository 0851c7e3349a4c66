import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line
from tornado.web import url

define("port", default=8888, type=int, help="port to listen on")


class Shelf:
    """The books, kept in memory. One object, shared by every handler."""

    def __init__(self, titles=()):
        self._books = {}
        for title in titles:
            self.add(title)

    def add(self, title):
        book_id = len(self._books) + 1
        self._books[book_id] = title
        return book_id

    def get(self, book_id):
        return self._books.get(book_id)

    def all(self):
        return sorted(self._books.items())


class ShelfHandler(tornado.web.RequestHandler):
    def initialize(self, shelf):
        # Called for every request, with the dict given in the route.
        self.shelf = shelf

    def book_json(self, book_id, title):
        return {"id": book_id, "title": title, "url": self.reverse_url("book", book_id)}


class BookListHandler(ShelfHandler):
    def get(self):
        books = [self.book_json(book_id, title) for book_id, title in self.shelf.all()]
        self.write({"shelf": self.settings["shelf_name"], "books": books})

    def post(self):
        title = self.get_body_argument("title")
        if not title or len(title) > 200:
            raise tornado.web.HTTPError(400)
        book_id = self.shelf.add(title)
        self.set_status(201)
        self.set_header("Location", self.reverse_url("book", book_id))
        self.write(self.book_json(book_id, self.shelf.get(book_id)))


class BookHandler(ShelfHandler):
    def get(self, book_id):
        title = self.shelf.get(int(book_id))
        if title is None:
            raise tornado.web.HTTPError(404)
        self.write(self.book_json(int(book_id), title))


def make_app(shelf):
    routes = [
        url(r"/books", BookListHandler, dict(shelf=shelf)),
        url(r"/books/([0-9]{1,9})", BookHandler, dict(shelf=shelf), name="book"),
    ]
    return tornado.web.Application(routes, shelf_name="Reading list")


async def main():
    parse_command_line()
    shelf = Shelf(["Dune", "Emma"])
    app = make_app(shelf)
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
