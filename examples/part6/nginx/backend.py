import asyncio
import os

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8001, type=int, help="port to listen on")
define("xheaders", default=False, type=bool, help="trust X-Real-IP and X-Scheme from a proxy")


class WhoAmIHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({
            "pid": os.getpid(),
            "port": options.port,
            "remote_ip": self.request.remote_ip,
            "protocol": self.request.protocol,
        })  # fmt: skip


def make_app():
    return tornado.web.Application([(r"/", WhoAmIHandler)])


async def main():
    parse_command_line()
    app = make_app()
    # Only nginx should reach this port: listen on the loopback interface.
    app.listen(options.port, address="127.0.0.1", xheaders=options.xheaders)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
