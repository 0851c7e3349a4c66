import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line
from tornado.web import HTTPError

define("port", default=8888, type=int, help="port to listen on")


class Journal:
    """Remembers the steps of the last request that TracedHandler answered."""

    def __init__(self):
        self.last = []


class TracedHandler(tornado.web.RequestHandler):
    def set_default_headers(self):
        # Runs first, from the constructor, and again when an error page starts.
        self.steps = getattr(self, "steps", [])
        self.steps.append("set_default_headers")

    def initialize(self, journal):
        self.journal = journal
        self.steps.append("initialize")

    def prepare(self):
        self.steps.append("prepare")
        if self.request.method == "POST":
            content_type = self.request.headers.get("Content-Type", "")
            if not content_type.startswith("application/json"):
                raise HTTPError(415)  # Unsupported Media Type

    def get(self):
        self.steps.append("get")
        self.write("Hello from get\n")

    def post(self):
        self.steps.append("post")
        self.write("Hello from post\n")

    def write_error(self, status_code, **kwargs):
        self.steps.append("write_error")
        super().write_error(status_code, **kwargs)

    def on_finish(self):
        # The response has gone: record the steps, do not write.
        self.steps.append("on_finish")
        self.journal.last = self.steps


class JournalHandler(tornado.web.RequestHandler):
    def initialize(self, journal):
        self.journal = journal

    def get(self):
        self.write({"steps": self.journal.last})


def make_app():
    journal = Journal()
    return tornado.web.Application(
        [
            (r"/work", TracedHandler, dict(journal=journal)),
            (r"/journal", JournalHandler, dict(journal=journal)),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
