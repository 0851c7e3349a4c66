import asyncio
import os
import sys

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

NEW_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'


def read_cookie_secret():
    # The secret key never appears in the source: it comes from the
    # environment, which the person who runs the server controls.
    secret = os.environ.get("COOKIE_SECRET", "")
    if len(secret) < 32:
        sys.exit(f"Set COOKIE_SECRET to 32 or more random characters, made with:\n  {NEW_SECRET}")
    return secret


class VisitsHandler(tornado.web.RequestHandler):
    def get(self):
        # None when the cookie is missing, forged, tampered with or too old.
        value = self.get_signed_cookie("visits", min_version=2)
        visits = int(value) + 1 if value else 1
        self.set_signed_cookie("visits", str(visits), httponly=True, secure=True, samesite="Lax")
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"Visits: {visits}\n")


def make_app(cookie_secret):
    return tornado.web.Application([(r"/", VisitsHandler)], cookie_secret=cookie_secret)


async def main():
    parse_command_line()
    app = make_app(read_cookie_secret())
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
