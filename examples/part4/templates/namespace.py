import asyncio
from pathlib import Path

import tornado.web
from tornado.escape import json_encode, xhtml_escape
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

HERE = Path(__file__).resolve().parent


def price(handler, cents):
    """A UI method: Tornado passes the current handler as the first argument."""
    return f"{cents / 100:.2f} EUR"


def script_json(handler, value):
    """JSON that is safe inside <script>: no "<", so no "</script>" and no "<!--"."""
    return json_encode(value).replace("<", "\\u003c")


class Badge(tornado.web.UIModule):
    """A UI module: {% module %} writes its output as it is, so it escapes by itself."""

    def render(self, text):
        return f'<span class="badge">{xhtml_escape(text)}</span>'


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # Tornado 6.6 answers a NUL in the path with 500; it names no file.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400)
        return super().parse_url_path(url_path)


class ShopHandler(tornado.web.RequestHandler):
    def get_template_namespace(self):
        # Every template that this handler renders also sees shop_name.
        namespace = super().get_template_namespace()
        namespace["shop_name"] = self.settings["shop_name"]
        return namespace


class NamespaceHandler(ShopHandler):
    def get_current_user(self):
        # A fixed user keeps the demo short; Part V reads the user from a
        # signed cookie instead.
        return "ada"

    def get(self):
        self.render(
            "namespace.html",
            sample="<b>bold</b>",
            query="tornado & asyncio",
            config={"user": "ada", "end": "</script>", "comment": "<!--<script>"},
            note="Docs: https://www.tornadoweb.org/ <3",
            address="  12   Main\n   Street ",
        )

    def post(self):
        # The form on the page comes back here; XSRF protection checked it.
        self.get()


class CartHandler(ShopHandler):
    def get(self):
        # render_string fills in a template and returns it, without sending it.
        html = self.render_string("cart.html", items=["Sockets for Poets"])
        self.write({"count": 1, "html": html.decode("utf-8")})


class BookHandler(tornado.web.RequestHandler):
    def get(self, book_id):
        self.write(f"Book {book_id}\n")


def make_app():
    return tornado.web.Application(
        [
            tornado.web.url(r"/", NamespaceHandler),
            tornado.web.url(r"/cart", CartHandler),
            # At most nine ASCII digits: anything else is no route, so 404.
            tornado.web.url(r"/books/([0-9]{1,9})", BookHandler, name="book"),
        ],
        template_path=str(HERE / "templates"),
        static_path=str(HERE / "static"),
        static_handler_class=StrictStaticFileHandler,
        xsrf_cookies=True,
        ui_methods={"price": price, "script_json": script_json},
        ui_modules={"Badge": Badge},
        shop_name="Tornado Bookshop",
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
