import asyncio
from pathlib import Path

import tornado.web
from tornado.escape import xhtml_escape
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

HERE = Path(__file__).resolve().parent


def price(handler, cents):
    """A UI method: Tornado passes the current handler as the first argument."""
    return f"{cents / 100:.2f} EUR"


class Badge(tornado.web.UIModule):
    """A UI module: {% module %} writes its output as it is, so it escapes by itself."""

    def render(self, text):
        return f'<span class="badge">{xhtml_escape(text)}</span>'


class NamespaceHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        # A fixed user keeps the demo short; Part V reads the user from a
        # signed cookie instead.
        return "ada"

    def get(self):
        self.render(
            "namespace.html",
            sample="<b>bold</b>",
            query="tornado & asyncio",
            config={"user": "ada", "end": "</script>"},
            note="Docs: https://www.tornadoweb.org/ <3",
            address="  12   Main\n   Street ",
        )

    def post(self):
        # The form on the page comes back here; XSRF protection checked it.
        self.get()


class BookHandler(tornado.web.RequestHandler):
    def get(self, book_id):
        self.write(f"Book {book_id}\n")


def make_app():
    return tornado.web.Application(
        [
            tornado.web.url(r"/", NamespaceHandler),
            tornado.web.url(r"/books/([0-9]+)", BookHandler, name="book"),
        ],
        template_path=str(HERE / "templates"),
        static_path=str(HERE / "static"),
        xsrf_cookies=True,
        ui_methods={"price": price},
        ui_modules={"Badge": Badge},
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
