import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import tornado.web
import tornado.wsgi
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("threads", default=4, type=int, help="WSGI threads (0: run on the event loop)")
define("delay", default=1.0, type=float, help="seconds the slow WSGI page takes")

log = logging.getLogger("slow_app")


def slow_app(environ, start_response):
    log.info("slow request started")
    time.sleep(options.delay)  # blocking work, like a database call
    log.info("slow request finished")
    body = b"slow WSGI answer\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


class PingHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("pong\n")


def make_app():
    if options.threads > 0:
        executor = ThreadPoolExecutor(max_workers=options.threads)
        container = tornado.wsgi.WSGIContainer(slow_app, executor=executor)
    else:
        container = tornado.wsgi.WSGIContainer(slow_app)
    return tornado.web.Application(
        [
            (r"/ping", PingHandler),
            (r".*", tornado.web.FallbackHandler, {"fallback": container}),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
