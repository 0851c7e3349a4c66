import asyncio
import collections
import os
import sys

import tornado.escape
import tornado.web
import tornado.websocket
from tornado.options import define, options, parse_command_line


class BaseHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        name = self.get_signed_cookie("user", max_age_days=1)
        return name.decode() if name else None


class LoginHandler(BaseHandler):
    """A demonstration: anyone may sign in under any name, without a password."""

    def get(self):
        # xsrf_form_html() adds the hidden _xsrf field and sets the _xsrf cookie.
        self.write(
            '<form method="post">' + self.xsrf_form_html()
            + '<input name="name"><button>Sign in</button></form>'
        )  # fmt: skip

    def post(self):
        name = self.get_body_argument("name").strip()
        if not 1 <= len(name) <= 40:
            raise tornado.web.HTTPError(400, reason="a name has 1 to 40 characters")
        self.set_signed_cookie("user", name, expires_days=1, httponly=True, samesite="Lax")
        next_url = self.get_query_argument("next", "/")
        if not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
            next_url = "/"  # only a path on this site, never another site
        self.redirect(next_url)


class GuestbookHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self):
        entries = self.settings["entries"]
        self.write("".join(f"<p>{tornado.escape.xhtml_escape(e)}</p>" for e in entries))

    @tornado.web.authenticated
    def post(self):
        text = self.get_body_argument("text").strip()
        if not 1 <= len(text) <= 200:
            raise tornado.web.HTTPError(400, reason="an entry has 1 to 200 characters")
        entry = f"{self.current_user}: {text}"
        self.settings["entries"].append(entry)
        for listener in list(self.settings["listeners"]):
            listener.send(entry)
        self.redirect("/")


class LiveHandler(tornado.websocket.WebSocketHandler):
    """Sends each new entry to every open WebSocket."""

    def open(self):
        self.unsent = 0  # messages not yet handed to the network
        self.settings["listeners"].add(self)

    def on_message(self, message):
        pass  # listeners only listen; what they send is ignored

    def on_close(self):
        self.settings["listeners"].discard(self)

    def send(self, entry):
        if self.unsent >= 100:  # a client that does not read: let it go
            self.close(1008, "too slow")
            return
        try:
            sent = self.write_message(entry)
        except tornado.websocket.WebSocketClosedError:
            return
        self.unsent += 1
        sent.add_done_callback(self.sent)

    def sent(self, future):
        self.unsent -= 1
        future.exception()  # a closed connection is not an error here


def make_app(cookie_secret):
    return tornado.web.Application(
        [(r"/", GuestbookHandler), (r"/login", LoginHandler), (r"/live", LiveHandler)],
        cookie_secret=cookie_secret,
        xsrf_cookies=True,
        login_url="/login",
        websocket_max_message_size=1024,
        entries=collections.deque(maxlen=100),  # the last 100 entries
        listeners=set(),
    )


async def main():
    define("port", default=8888, type=int, help="port to listen on")
    parse_command_line()
    secret = os.environ.get("COOKIE_SECRET", "")
    if len(secret) < 32:
        sys.exit("Set COOKIE_SECRET to 32 or more random characters")
    app = make_app(cookie_secret=secret)
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
