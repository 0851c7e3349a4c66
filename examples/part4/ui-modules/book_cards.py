import asyncio
import datetime
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

HERE = Path(__file__).resolve().parent

BOOKS = {
    1: {"id": 1, "title": "Event Loops in Practice", "author": "Mei Chen",
        "published": datetime.date(2021, 3, 14), "tags": ["asyncio", "servers"],
        "blurb": "How one thread serves ten thousand clients."},
    2: {"id": 2, "title": "The Patient Server", "author": "Tomás Ortega",
        "published": datetime.date(2019, 9, 2), "tags": ["servers"],
        "blurb": "Long polling & WebSockets, explained with care."},
    3: {"id": 3, "title": "Sockets for Poets", "author": "Ada Lindqvist",
        "published": datetime.date(2023, 6, 30), "tags": ["networking", "<poetry>"],
        "blurb": "Verses about TCP, each one acknowledged."},
}  # fmt: skip


# ANCHOR: card
class BookCard(tornado.web.UIModule):
    """A book's title, author, tags and a button that shows its blurb."""

    def render(self, book):
        return self.render_string("modules/book_card.html", book=book)

    # ANCHOR_END: card
    # ANCHOR: resources
    def embedded_css(self):
        return (
            ".book-card { border: 1px solid #ccc; border-radius: 6px;"
            " padding: 0.5em 1em; margin: 1em 0; }\n"
            ".book-card h2 { margin: 0; font-size: 1.2em; }"
        )

    def embedded_javascript(self):
        return """\
for (const button of document.querySelectorAll(".book-card .blurb-toggle")) {
  button.addEventListener("click", () => {
    const blurb = button.nextElementSibling;
    blurb.hidden = !blurb.hidden;
    button.textContent = blurb.hidden ? "Show blurb" : "Hide blurb";
  });
}"""

    # ANCHOR_END: resources


class RelativeDate(tornado.web.UIModule):
    """A date that a script in the browser rewrites as "3 years ago"."""

    def render(self, date):
        return f'<time class="relative-date" datetime="{date.isoformat()}">{date:%d %b %Y}</time>'

    def css_files(self):
        return ["relative-date.css"]

    def javascript_files(self):
        return ["relative-date.js"]


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # Tornado 6.6 answers a NUL in the path with 500; it names no file.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400)
        return super().parse_url_path(url_path)


class HomeHandler(tornado.web.RequestHandler):
    def get(self):
        tag = self.get_argument("tag", None)
        books = [book for book in BOOKS.values() if tag is None or tag in book["tags"]]
        self.render("home.html", books=books, tag=tag)


class BookHandler(tornado.web.RequestHandler):
    def get(self, book_id):
        book = BOOKS.get(int(book_id))
        if book is None:
            raise tornado.web.HTTPError(404)
        self.render("book.html", book=book)


def make_app():
    return tornado.web.Application(
        [
            tornado.web.url(r"/", HomeHandler, name="home"),
            # One to nine ASCII digits: any other id matches no route, so 404.
            tornado.web.url(r"/books/([0-9]{1,9})", BookHandler, name="book"),
        ],
        template_path=str(HERE / "templates"),
        static_path=str(HERE / "static"),
        static_handler_class=StrictStaticFileHandler,
        ui_modules={"BookCard": BookCard, "RelativeDate": RelativeDate},
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
