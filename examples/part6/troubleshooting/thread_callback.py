import asyncio
import threading
import time

import tornado.web
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


def legacy_lookup(name, callback):
    """Stands for a library that does its work on a thread of its own and
    then calls `callback` on that thread, not on the event loop's."""

    def work():
        time.sleep(0.2)
        callback(f"record of {name}")

    threading.Thread(target=work, daemon=True).start()


class LookupHandler(tornado.web.RequestHandler):
    async def get(self):
        io_loop = IOLoop.current()
        result = asyncio.get_running_loop().create_future()

        def done(record):
            # Runs on the library's thread. Touch no Tornado or asyncio
            # object here: add_callback is the one method that is safe to
            # call from another thread, and it runs set_result on the loop.
            io_loop.add_callback(result.set_result, record)

        legacy_lookup(self.get_argument("name", "ada")[:40], done)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")  # the name is not HTML
        self.write(await result + "\n")


def make_app():
    return tornado.web.Application([(r"/lookup", LookupHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
