import asyncio
import json
from pathlib import Path

import tornado.web
import tornado.websocket
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("ping_interval", default=20.0, type=float,
       help="seconds between pings to each client; 0 turns pings off")
define("trusted_origins", default=[], type=str, multiple=True,
       help="other origins whose pages may connect, such as https://chat.example.com")

PAGE = Path(__file__).with_name("chat.html")


class ChatRoom:
    """The open connections of one chat room."""

    def __init__(self):
        self.members = set()

    def broadcast(self, message):
        for member in list(self.members):
            try:
                member.write_message(message)
            except tornado.websocket.WebSocketClosedError:
                # This one is closing; its on_close will remove it.
                pass


class ChatSocket(tornado.websocket.WebSocketHandler):
    def initialize(self, room):
        self.room = room

    def open(self):
        self.room.members.add(self)

    def on_message(self, message):
        try:
            text = json.loads(message)["text"].strip()
        except (ValueError, TypeError, KeyError, AttributeError):
            text = ""
        if not text:
            # 1008 (policy violation): a message this room does not accept.
            self.close(1008, 'send JSON such as {"text": "Hello"}')
            return
        self.room.broadcast({"text": text})

    def on_close(self):
        self.room.members.discard(self)
        app_log.info("a member left: code %s, reason %r", self.close_code, self.close_reason)


class PageHandler(tornado.web.RequestHandler):
    def get(self):
        self.write(PAGE.read_bytes())


class StatsHandler(tornado.web.RequestHandler):
    def initialize(self, room):
        self.room = room

    def get(self):
        self.write({"members": len(self.room.members)})


def make_app():
    room = ChatRoom()
    return tornado.web.Application(
        [
            (r"/", PageHandler),
            (r"/chat", ChatSocket, {"room": room}),
            (r"/stats", StatsHandler, {"room": room}),
        ],
        websocket_ping_interval=options.ping_interval,
        trusted_origins=options.trusted_origins,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
