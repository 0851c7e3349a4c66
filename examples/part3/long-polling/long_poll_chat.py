import asyncio
import datetime
import re

import tornado.locks
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define(
    "poll_timeout", default=25.0, type=float, help="seconds a poll waits for news before it answers with no messages"
)

MAX_TEXT = 1000  # characters in one message
MAX_BODY = 16 * 1024  # bytes in one request: a form with one message, percent-encoded
MESSAGE_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, at most 18 of them


class ChatRoom:
    """The messages of one chat room, and the polls that wait for new ones."""

    def __init__(self, keep=100):
        self.keep = keep  # how many recent messages a late client can fetch
        self.messages = []
        self.last_id = 0
        self.news = tornado.locks.Condition()
        self.waiters = 0

    def post(self, text):
        self.last_id += 1
        message = {"id": self.last_id, "text": text}
        self.messages.append(message)
        del self.messages[: -self.keep]  # memory stays bounded: keep x MAX_TEXT
        self.news.notify_all()  # wake every poll that is waiting
        return message

    def since(self, last_seen):
        return [m for m in self.messages if m["id"] > last_seen]

    def wait_for_news(self, timeout):
        """Register a waiter now and return its Future.

        The Future gives True when a message is posted, False when the
        timeout comes first; cancelling it ends the wait.
        """
        # A plain number would be a deadline on the loop's clock,
        # not a duration: pass a timedelta.
        future = self.news.wait(timeout=datetime.timedelta(seconds=timeout))
        self.waiters += 1
        future.add_done_callback(self._waiter_done)  # news, timeout or cancel
        return future

    def _waiter_done(self, future):
        self.waiters -= 1


class RoomHandler(tornado.web.RequestHandler):
    def initialize(self, room, poll_timeout=25.0):
        self.room = room
        self.poll_timeout = poll_timeout

    def refuse(self, message):
        """End the request with 400 and a JSON body that says what is wrong."""
        self.set_status(400)
        raise tornado.web.Finish({"error": message})


class MessagesHandler(RoomHandler):
    def post(self):
        text = self.get_body_argument("text").strip()
        if not text:
            self.refuse("empty message")
        if len(text) > MAX_TEXT:
            self.refuse(f"a message has at most {MAX_TEXT} characters")
        self.write(self.room.post(text))


class UpdatesHandler(RoomHandler):
    wait_future = None

    async def get(self):
        since = self.get_query_argument("since", "0")
        if not MESSAGE_ID.fullmatch(since):
            self.refuse("since must be a message id")
        since = int(since)
        if since > self.room.last_id:
            since = 0  # an id from before a restart: ids have started again
        messages = self.room.since(since)
        if not messages:
            # Nothing new yet. The waiter is registered right here, in the
            # same step as the check: no message can slip in between.
            self.wait_future = self.room.wait_for_news(self.poll_timeout)
            try:
                await self.wait_future
            except asyncio.CancelledError:
                return  # the client went away; nobody is left to answer
            messages = self.room.since(since)
        self.write({"messages": messages})

    def on_connection_close(self):
        # The client closed the connection while this request was waiting.
        if self.wait_future is not None:
            self.wait_future.cancel()


class StatsHandler(RoomHandler):
    def get(self):
        self.write({"waiters": self.room.waiters, "messages": len(self.room.messages)})


def make_app(room=None, poll_timeout=25.0):
    room = room if room is not None else ChatRoom()
    shared = {"room": room, "poll_timeout": poll_timeout}
    return tornado.web.Application(
        [
            (r"/messages", MessagesHandler, shared),
            (r"/updates", UpdatesHandler, shared),
            (r"/stats", StatsHandler, shared),
        ],
        # A page on another site may not post through a visitor's browser.
        cross_origin_protection=True,
    )


async def main():
    parse_command_line()
    app = make_app(poll_timeout=options.poll_timeout)
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_BODY)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
