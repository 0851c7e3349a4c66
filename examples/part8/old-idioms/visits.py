import asyncio
import os
import sys

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class VisitsHandler(tornado.web.RequestHandler):
    def get(self):
        value = self.get_signed_cookie("visits")
        visits = int(value) + 1 if value else 1
        self.set_signed_cookie("visits", str(visits), httponly=True, secure=True, samesite="Lax")
        self.write(f"Visits: {visits}\n")


def make_app(cookie_secret):
    return tornado.web.Application([(r"/", VisitsHandler)], cookie_secret=cookie_secret)


async def main():
    parse_command_line()
    secret = os.environ.get("COOKIE_SECRET", "")
    if len(secret) < 32:
        sys.exit("Set COOKIE_SECRET to 32 or more random characters.")
    app = make_app(secret)
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
