import asyncio

import tornado.httpclient
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class DataHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"temperature": 21})


class ProxyHandler(tornado.web.RequestHandler):
    async def get(self):
        # The handler waits here without blocking the server.
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(f"http://127.0.0.1:{options.port}/data")
        self.set_header("Content-Type", "application/json")
        self.write(response.body)
        # No self.finish(): Tornado finishes when the coroutine returns.


def make_app():
    return tornado.web.Application([(r"/data", DataHandler), (r"/proxy", ProxyHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
