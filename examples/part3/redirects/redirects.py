import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line
from tornado.web import HTTPError, RedirectHandler, url

define("port", default=8888, type=int, help="port to listen on")

LATEST_RELEASE = "6.6"
PLACES = {"guide": "/guide/intro", "releases": "/releases/" + LATEST_RELEASE}


class PageHandler(tornado.web.RequestHandler):
    """Stands for every real page of the site."""

    def get(self, *parts):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"This is {self.request.path}\n")


class LatestHandler(tornado.web.RequestHandler):
    def get(self):
        # "Latest" changes with every release: a temporary redirect (302).
        self.redirect(self.reverse_url("release", LATEST_RELEASE))


class GoHandler(tornado.web.RequestHandler):
    def get(self):
        # Only names from our own table: never a URL taken from the request.
        target = PLACES.get(self.get_argument("to"))
        if target is None:
            raise HTTPError(404)
        self.redirect(target)


class UserHandler(tornado.web.RequestHandler):
    def get(self, name):
        if name != name.lower():
            # One spelling is the real address, for good: 301.
            self.redirect(self.reverse_url("user", name.lower()), permanent=True)
            return
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"Profile of {name}\n")


class GuideIndexHandler(tornado.web.RequestHandler):
    @tornado.web.addslash  # /guide -> 301 -> /guide/
    def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write("The table of contents\n")


class ContactHandler(tornado.web.RequestHandler):
    @tornado.web.removeslash  # /contact/ -> 301 -> /contact
    def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write("Write to us\n")

    @tornado.web.removeslash  # a POST to /contact/ gets 404: no redirect
    def post(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write("Thank you\n")


class SubscribeHandler(tornado.web.RequestHandler):
    def initialize(self, subscribers):
        self.subscribers = subscribers

    def post(self):
        email = self.get_body_argument("email")
        if "@" not in email or len(email) > 254:
            raise HTTPError(400)
        self.subscribers.append(email)
        # 303 See Other: fetch the next page with GET, whatever the method was.
        self.redirect("/guide/thanks", status=303)


def make_app():
    subscribers = []
    return tornado.web.Application(
        [
            url(r"/releases/([0-9.]+)", PageHandler, name="release"),
            url(r"/guide/([a-z-]+)", PageHandler),
            url(r"/about", PageHandler),
            url(r"/closed", PageHandler),
            url(r"/latest", LatestHandler),
            url(r"/go", GoHandler),
            url(r"/users/([A-Za-z]+)", UserHandler, name="user"),
            url(r"/subscribe", SubscribeHandler, dict(subscribers=subscribers)),
            # The pattern takes both forms; the decorator redirects to one.
            url(r"/guide/?", GuideIndexHandler),
            url(r"/contact/?", ContactHandler),
            # ANCHOR: redirect-routes
            # Moved for good: 301 by default.
            url(r"/about-us", RedirectHandler, dict(url="/about")),
            url(r"/docs/([a-z-]+)", RedirectHandler, dict(url="/guide/{0}")),
            # Only for a while: say so with permanent=False.
            url(r"/shop", RedirectHandler, dict(url="/closed", permanent=False)),
            # Everything under /archive/ moves up one level.
            url(r"/archive/(.+)", RedirectHandler, dict(url="/{0}")),
            # ANCHOR_END: redirect-routes
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=4096)  # only /subscribe reads a body: one address
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
