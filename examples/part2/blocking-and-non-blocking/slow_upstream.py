import asyncio
import itertools

import tornado.web
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8001, type=int, help="port to listen on")
define("delay", default=1.0, type=float, help="seconds before each answer")

arrivals = itertools.count(1)


class SlowHandler(tornado.web.RequestHandler):
    async def get(self):
        # Log each request as it arrives, so the terminal shows when the
        # upstream was asked, not only when it answered.
        app_log.info("request %d arrived", next(arrivals))
        await asyncio.sleep(options.delay)
        self.write("Hello from the slow upstream\n")


def make_app():
    return tornado.web.Application([(r"/", SlowHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
