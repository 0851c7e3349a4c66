import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class GreetHandler(tornado.web.RequestHandler):
    # One unnamed group in the pattern: one positional argument.
    def get(self, name):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"Hello, {name}!\n")


class ArchiveHandler(tornado.web.RequestHandler):
    # Named groups: keyword arguments, matched by name.
    def get(self, year, month):
        self.write({"year": int(year), "month": int(month)})


def make_app():
    return tornado.web.Application(
        [
            (r"/hello/([^/]+)", GreetHandler),
            (r"/archive/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])", ArchiveHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
