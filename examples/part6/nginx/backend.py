import asyncio
import logging
import os

import tornado.web
import tornado.websocket
from tornado.options import define, options, parse_command_line

define("port", default=8001, type=int, help="port to listen on")
define("xheaders", default=False, type=bool, help="trust X-Real-IP and X-Scheme from a proxy")


class WhoAmIHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({
            "pid": os.getpid(),
            "port": options.port,
            "host": self.request.host,
            "remote_ip": self.request.remote_ip,
            "protocol": self.request.protocol,
        })  # fmt: skip

    def post(self):
        self.write({"received": len(self.request.body)})


class WaitHandler(tornado.web.RequestHandler):
    """Answers after a while, as a long poll does: /wait?seconds=5."""

    async def get(self):
        try:
            seconds = float(self.get_argument("seconds", "1"))
        except ValueError:
            raise tornado.web.HTTPError(400) from None
        if not 0 <= seconds <= 300:
            raise tornado.web.HTTPError(400)
        await asyncio.sleep(seconds)
        self.write({"waited": seconds})


class StreamHandler(tornado.web.RequestHandler):
    """Streams /stream?mb=8 megabytes, 64 KiB at a time."""

    async def get(self):
        try:
            megabytes = int(self.get_argument("mb", "1"))
        except ValueError:
            raise tornado.web.HTTPError(400) from None
        if not 1 <= megabytes <= 64:
            raise tornado.web.HTTPError(400)
        for _ in range(megabytes * 16):
            self.write(b"x" * 65536)
            await self.flush()  # waits while the data cannot be sent on
        logging.info("stream of %d MB sent", megabytes)


class EchoHandler(tornado.websocket.WebSocketHandler):
    def on_message(self, message):
        self.write_message(message)


def make_app():
    return tornado.web.Application(
        [
            (r"/", WhoAmIHandler),
            (r"/wait", WaitHandler),
            (r"/stream", StreamHandler),
            (r"/ws", EchoHandler),
        ],
        websocket_max_message_size=64 * 1024,
    )


async def main():
    parse_command_line()
    app = make_app()
    # Only nginx should reach this port: listen on the loopback interface.
    # The body limit matches client_max_body_size in nginx.conf.
    app.listen(options.port, address="127.0.0.1", xheaders=options.xheaders, max_body_size=1024 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
