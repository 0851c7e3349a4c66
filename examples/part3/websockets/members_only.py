"""A WebSocket that only signed-in users may open."""

import asyncio
import re
import secrets

import tornado.web
import tornado.websocket
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

NAME = re.compile(r"[a-z]{1,20}")


class LoginHandler(tornado.web.RequestHandler):
    """Stands for a real login (Part V): it trusts the name it is given."""

    def post(self):
        name = self.get_body_argument("name", "")
        if not NAME.fullmatch(name):
            raise tornado.web.HTTPError(400)
        self.set_signed_cookie("user", name, expires_days=1, httponly=True, samesite="Strict")
        self.write({"user": name})


class MembersSocket(tornado.websocket.WebSocketHandler):
    def get_current_user(self):
        name = self.get_signed_cookie("user", max_age_days=1, min_version=2)
        return name.decode() if name else None

    def prepare(self):
        # Runs before the handshake, and before Tornado checks the Origin.
        if self.current_user is None:
            raise tornado.web.HTTPError(401)

    def open(self):
        self.write_message({"hello": self.current_user})

    def on_message(self, message):
        self.write_message({"from": self.current_user, "length": len(message)})


def make_app(cookie_secret):
    return tornado.web.Application(
        [
            (r"/login", LoginHandler),
            (r"/socket", MembersSocket),
        ],
        cookie_secret=cookie_secret,
        cross_origin_protection=True,  # no login from another site's page
        websocket_max_message_size=4096,
    )


async def main():
    parse_command_line()
    # A new secret at each start signs everybody out; a real site reads it from its configuration.
    app = make_app(cookie_secret=secrets.token_hex(32))
    app.listen(options.port, address="127.0.0.1", max_body_size=4096)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
