import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class VisitsHandler(tornado.web.RequestHandler):
    def get(self):
        # A cookie is text that the client sends back. The client may
        # change it, so check it like any other input: one to nine ASCII
        # digits, or the count starts again.
        value = self.get_cookie("visits", "0")
        visits = int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else 0
        visits += 1
        self.set_cookie("visits", str(visits))
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"Visits: {visits}\n")


def make_app():
    return tornado.web.Application([(r"/", VisitsHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
