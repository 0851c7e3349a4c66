import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world\n")


class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        # A monitor asks this URL whether the server is up. The answer
        # must be fresh, so no cache may keep a copy of it.
        self.set_header("Cache-Control", "no-store")
        self.write({"status": "ok"})


def make_app():
    return tornado.web.Application(
        [
            (r"/", MainHandler),
            (r"/health", HealthHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    # Only this computer can connect; no request needs a body above 1 KiB.
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
