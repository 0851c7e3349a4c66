import asyncio
import sys

import tornado.options
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on", group="greeting")


class GreetingHandler(tornado.web.RequestHandler):
    def get(self):
        greeting = self.get_argument("greeting", "Hello")
        # Plain text: the greeting comes from the URL, so it must never be
        # read by a browser as HTML.
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"{greeting}, friendly user!\n")


class StrictGreetingHandler(tornado.web.RequestHandler):
    def get(self):
        greeting = self.get_argument("greeting")  # no default: required
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"{greeting}, friendly user!\n")


def make_app():
    return tornado.web.Application(
        [
            (r"/", GreetingHandler),
            (r"/strict", StrictGreetingHandler),
        ]
    )


def read_options():
    try:
        parse_command_line()
    except (tornado.options.Error, ValueError) as exc:
        print(f"greeting.py: error: {exc}", file=sys.stderr)
        sys.exit(2)  # 2 means "used wrongly", as with argparse


async def main():
    read_options()
    app = make_app()
    try:
        app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    except OSError as exc:
        message = f"cannot listen on port {options.port}: {exc.strerror}"
        print(f"greeting.py: error: {message}", file=sys.stderr)
        sys.exit(1)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
