"""Route order, trailing slashes and a second host in one application."""

import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class TextHandler(tornado.web.RequestHandler):
    def say(self, text):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(text + "\n")


class NewBookHandler(TextHandler):
    def get(self):
        self.say("the form for a new book")


class BookHandler(TextHandler):
    def get(self, slug):
        self.say(f"the book {slug}")


class AboutHandler(TextHandler):
    def get(self):
        self.say("about this site")


class StatusHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"api": "ok"})


def make_app():
    app = tornado.web.Application(
        [
            # Tried in this order; the first pattern that matches wins.
            (r"/books/new", NewBookHandler),
            (r"/books/([a-z0-9-]{1,50})", BookHandler),
            (r"/about", AboutHandler),
        ]
    )
    # Requests whose Host is api.localhost try these routes first.
    app.add_handlers(
        r"api\.localhost",
        [
            (r"/status", StatusHandler),
        ],
    )
    return app


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=4096)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
