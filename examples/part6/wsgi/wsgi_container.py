import asyncio
from concurrent.futures import ThreadPoolExecutor

import tornado.web
import tornado.wsgi
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


def legacy_app(environ, start_response):
    # A plain WSGI application: a callable that takes the request as a
    # dict and a function to start the response, and returns the body.
    path = environ["PATH_INFO"]
    body = f"WSGI application, path {path}\n".encode()
    start_response("200 OK", [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ])
    return [body]


class StatusHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Tornado handler\n")


def make_app():
    # The WSGI application runs on these threads, not on the event loop.
    executor = ThreadPoolExecutor(max_workers=4)
    container = tornado.wsgi.WSGIContainer(legacy_app, executor=executor)
    return tornado.web.Application([
        (r"/status", StatusHandler),
        (r".*", tornado.web.FallbackHandler, {"fallback": container}),
    ])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
