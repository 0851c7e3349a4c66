import asyncio
import threading

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("delay", default=1.0, type=float, help="seconds each request waits before its answer")


class SlowHandler(tornado.web.RequestHandler):
    async def get(self):
        # Stands in for a slow conversation: a chat message that has not
        # arrived yet, an upstream service that takes its time. While this
        # request waits, the event loop serves every other connection.
        await asyncio.sleep(options.delay)
        thread = threading.current_thread().name
        self.write(f"Answered by {thread} after waiting\n")


def make_app():
    return tornado.web.Application([(r"/", SlowHandler)])


async def main():
    parse_command_line()
    app = make_app()
    # Only this computer can connect; no request needs a body above 1 KiB.
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
