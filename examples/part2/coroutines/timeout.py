import asyncio

import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("upstream", default="http://127.0.0.1:8001/", help="URL of the slow upstream service")
define("timeout", default=2.0, type=float, help="seconds to wait for the upstream")


class TimeoutHandler(tornado.web.RequestHandler):
    async def get(self):
        fetch = AsyncHTTPClient().fetch(options.upstream)
        try:
            response = await asyncio.wait_for(fetch, timeout=options.timeout)
        except TimeoutError:
            # 504 Gateway Timeout: we gave up waiting for another server.
            self.set_status(504)
            self.write("The upstream did not answer in time.\n")
            return
        self.write(f"The upstream said: {response.body.decode()}")


def make_app():
    return tornado.web.Application([(r"/", TimeoutHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
