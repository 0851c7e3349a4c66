import asyncio
from concurrent.futures import ThreadPoolExecutor

import tornado.web
import tornado.wsgi
from flask import Flask, request
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

# ANCHOR: flask
# An ordinary Flask application: Flask builds the WSGI callable.
flask_app = Flask(__name__)


@flask_app.route("/reports/<int:year>")
def report(year):
    return {"year": year, "path": request.path, "multithread": request.environ["wsgi.multithread"]}


@flask_app.route("/hello")
def hello():
    return f"Hello from Flask, {request.args.get('name', 'world')[:40]}\n"


# ANCHOR_END: flask


class StatusHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Tornado handler\n")


def make_app():
    # The Flask application runs on these threads, not on the event loop.
    executor = ThreadPoolExecutor(max_workers=4)
    container = tornado.wsgi.WSGIContainer(flask_app, executor=executor)
    return tornado.web.Application(
        [
            (r"/status", StatusHandler),
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
