import asyncio
import json
from pathlib import Path

import tornado.web
import tornado.websocket
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("ping_interval", default=20.0, type=float, help="seconds between pings to each client; 0 turns pings off")
define(
    "trusted_origins",
    default=[],
    type=str,
    multiple=True,
    help="other origins whose pages may connect, such as https://chat.example.com",
)

PAGE = Path(__file__).with_name("chat.html")
MAX_TEXT = 1000  # characters in one chat message
MAX_MESSAGE = 8 * 1024  # bytes in one WebSocket message: 1,000 characters of JSON fit
MAX_QUEUED = 100  # messages waiting for one member before the room gives up on it


class ChatRoom:
    """The open connections of one chat room."""

    def __init__(self):
        self.members = set()

    def broadcast(self, message):
        data = json.dumps(message)  # encoded once, sent to everybody
        for member in list(self.members):
            member.send(data)


class ChatSocket(tornado.websocket.WebSocketHandler):
    writer = None

    def initialize(self, room):
        self.room = room
        self.outbox = asyncio.Queue(maxsize=MAX_QUEUED)

    def open(self):
        self.room.members.add(self)
        self.writer = asyncio.ensure_future(self.write_outbox())

    def on_message(self, message):
        try:
            text = json.loads(message)["text"].strip()
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            text = ""
        if not text or len(text) > MAX_TEXT:
            # 1008 (policy violation): a message this room does not accept.
            self.close(1008, 'send JSON such as {"text": "Hello"}, up to 1000 characters')
            return
        self.room.broadcast({"text": text})

    def send(self, data):
        """Queue one message for this member, unless it has fallen too far behind."""
        try:
            self.outbox.put_nowait(data)
        except asyncio.QueueFull:
            # It does not read what we send: stop queueing, and hang up.
            self.room.members.discard(self)
            self.close(1008, "too slow: messages were piling up")

    async def write_outbox(self):
        try:
            while True:
                batch = [await self.outbox.get()]
                while not self.outbox.empty():
                    batch.append(self.outbox.get_nowait())
                # Wait until the OS has taken this batch before the next one.
                await asyncio.gather(*(self.write_message(data) for data in batch))
        except tornado.websocket.WebSocketClosedError:
            pass  # the connection has closed; on_close cleans up

    def on_close(self):
        self.room.members.discard(self)
        if self.writer is not None:
            self.writer.cancel()
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
        websocket_max_message_size=MAX_MESSAGE,  # larger messages close with 1009
        trusted_origins=options.trusted_origins,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=4096)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
