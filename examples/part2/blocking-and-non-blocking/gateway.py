import asyncio
import urllib.request

import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("upstream", default="http://127.0.0.1:8001/", help="URL of the slow upstream service")
define("max_clients", default=10, type=int, help="requests the HTTP client runs at once")


class BlockingHandler(tornado.web.RequestHandler):
    def get(self):
        # urlopen waits for the answer and holds the only thread meanwhile:
        # the event loop cannot run until it returns.
        with urllib.request.urlopen(options.upstream) as response:
            body = response.read().decode()
        self.write(f"blocking: {body}")


class NonBlockingHandler(tornado.web.RequestHandler):
    async def get(self):
        # fetch starts the request and returns a Future at once; await hands
        # control back to the event loop until the answer is there.
        response = await AsyncHTTPClient().fetch(options.upstream)
        self.write(f"non-blocking: {response.body.decode()}")


class PingHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("pong\n")


def make_app():
    return tornado.web.Application(
        [
            (r"/blocking", BlockingHandler),
            (r"/non-blocking", NonBlockingHandler),
            (r"/ping", PingHandler),
        ]
    )


async def main():
    parse_command_line()
    # Before the first fetch: every AsyncHTTPClient() of this loop gets the limit.
    AsyncHTTPClient.configure(None, max_clients=options.max_clients)
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
