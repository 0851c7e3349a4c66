import asyncio

import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.options import define, options, parse_command_line
from tornado.simple_httpclient import HTTPTimeoutError

define("port", default=8888, type=int, help="port to listen on")
define("upstream", default="http://127.0.0.1:8001/", help="URL of the slow upstream service")
define("timeout", default=2.0, type=float, help="seconds to wait for the upstream")


async def ask_upstream():
    # request_timeout ends the request itself: the client closes the
    # connection and frees its slot when the time is up.
    response = await AsyncHTTPClient().fetch(options.upstream, request_timeout=options.timeout)
    return response.body.decode()


class TimeoutHandler(tornado.web.RequestHandler):
    async def get(self):
        try:
            answer = await ask_upstream()
        except HTTPTimeoutError:
            # 504 Gateway Timeout: we gave up waiting for another server.
            self.set_status(504)
            self.write("The upstream did not answer in time.\n")
            return
        except (HTTPClientError, OSError):
            # 502 Bad Gateway: an error status, a refused connection...
            self.set_status(502)
            self.write("The upstream failed.\n")
            return
        self.write(f"The upstream said: {answer}")


class TwiceHandler(tornado.web.RequestHandler):
    async def get(self):
        # One time limit for a whole block of awaits (Python 3.11).
        try:
            async with asyncio.timeout(options.timeout):
                first = await ask_upstream()
                second = await ask_upstream()
        except (TimeoutError, HTTPTimeoutError):
            self.set_status(504)
            self.write("The upstream did not answer twice in time.\n")
            return
        except (HTTPClientError, OSError):
            self.set_status(502)
            self.write("The upstream failed.\n")
            return
        self.write(f"First: {first}Second: {second}")


def make_app():
    return tornado.web.Application(
        [
            (r"/", TimeoutHandler),
            (r"/twice", TwiceHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
