import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("debug", default=False, type=bool, help="run in debug mode")

HERE = Path(__file__).parent


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello from version 1\n")


class PageHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("page.html", title="Debug mode")


class BrokenHandler(tornado.web.RequestHandler):
    def get(self):
        # A bug: dividing by zero raises ZeroDivisionError.
        self.write(str(1 / 0))


def make_app():
    return tornado.web.Application(
        [
            (r"/", MainHandler),
            (r"/page", PageHandler),
            (r"/broken", BrokenHandler),
        ],
        template_path=HERE / "templates",
        debug=options.debug,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
