import asyncio
import datetime

import tornado.locks
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("poll_timeout", default=25.0, type=float,
       help="seconds a poll waits for news before it answers with no messages")


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
        del self.messages[:-self.keep]
        self.news.notify_all()  # wake every poll that is waiting
        return message

    def since(self, last_seen):
        return [m for m in self.messages if m["id"] > last_seen]

    async def wait_for_news(self, timeout):
        """Wait until a message is posted; False if the timeout came first."""
        self.waiters += 1
        try:
            # A plain number would be a deadline on the loop's clock,
            # not a duration: pass a timedelta.
            return await self.news.wait(timeout=datetime.timedelta(seconds=timeout))
        finally:
            # Runs on news, on timeout, and when the wait is cancelled.
            self.waiters -= 1


class RoomHandler(tornado.web.RequestHandler):
    def initialize(self, room):
        self.room = room


class MessagesHandler(RoomHandler):
    def post(self):
        text = self.get_body_argument("text").strip()
        if not text:
            raise tornado.web.HTTPError(400, "empty message")
        self.write(self.room.post(text))


class UpdatesHandler(RoomHandler):
    waiting = None

    async def get(self):
        try:
            since = int(self.get_query_argument("since", "0"))
        except ValueError:
            raise tornado.web.HTTPError(400, "since must be a message id")
        messages = self.room.since(since)
        if not messages:
            # Nothing new yet: hold the request open until a post or the timeout.
            self.waiting = asyncio.ensure_future(
                self.room.wait_for_news(options.poll_timeout))
            try:
                await self.waiting
            except asyncio.CancelledError:
                return  # the client went away; nobody is left to answer
            messages = self.room.since(since)
        self.write({"messages": messages})

    def on_connection_close(self):
        # The client closed the connection while this request was waiting.
        if self.waiting is not None:
            self.waiting.cancel()


class StatsHandler(RoomHandler):
    def get(self):
        self.write({"waiters": self.room.waiters, "messages": len(self.room.messages)})


def make_app():
    room = ChatRoom()
    return tornado.web.Application([
        (r"/messages", MessagesHandler, {"room": room}),
        (r"/updates", UpdatesHandler, {"room": room}),
        (r"/stats", StatsHandler, {"room": room}),
    ])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
