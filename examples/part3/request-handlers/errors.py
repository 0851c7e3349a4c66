import asyncio
import http.client

import tornado.web
from tornado.escape import xhtml_escape
from tornado.options import define, options, parse_command_line
from tornado.web import HTTPError

define("port", default=8888, type=int, help="port to listen on")

MAX_BODY = 64 * 1024  # no handler here reads a body

ITEMS = {1: "kettle", 2: "teapot"}


class ClientError(HTTPError):
    """An HTTP error with a message for the client, sent in the body."""

    def __init__(self, status_code, message):
        super().__init__(status_code)
        self.message = message


class BaseHandler(tornado.web.RequestHandler):
    def set_default_headers(self):
        # Runs for every response, error pages included.
        self.set_header("X-Content-Type-Options", "nosniff")
        self.clear_header("Server")

    def wants_json(self):
        accept = self.request.headers.get("Accept", "")
        return self.request.path.startswith("/api/") or "application/json" in accept

    def write_error(self, status_code, **kwargs):
        error = kwargs["exc_info"][1] if "exc_info" in kwargs else None
        if isinstance(error, ClientError):
            message = error.message
        else:
            # Never the text of an unexpected exception: it may hold secrets.
            message = http.client.responses.get(status_code, "Error")
        if self.wants_json():
            self.finish({"error": {"status": status_code, "message": message}})
        else:
            text = xhtml_escape(f"{status_code} {message}")
            self.finish(f"<!DOCTYPE html>\n<title>{text}</title>\n<h1>{text}</h1>\n")


class ItemHandler(BaseHandler):
    def get(self, item_id):
        name = ITEMS.get(int(item_id))
        if name is None:
            raise ClientError(404, "No such item")
        if self.wants_json():
            self.write({"id": int(item_id), "name": name})
        else:
            self.write(f"<!DOCTYPE html>\n<title>Item</title>\n<p>{xhtml_escape(name)}</p>\n")


class BrokenHandler(BaseHandler):
    def get(self):
        self.set_header("X-Stock-Checked", "yes")  # lost: the error page starts afresh
        raise RuntimeError("cannot reach the stock database at 10.0.0.7")


class NotFoundHandler(BaseHandler):
    def prepare(self):
        raise HTTPError(404)


def make_app():
    return tornado.web.Application(
        [
            (r"/items/([0-9]{1,9})", ItemHandler),
            (r"/api/items/([0-9]{1,9})", ItemHandler),
            (r"/broken", BrokenHandler),
        ],
        default_handler_class=NotFoundHandler,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_BODY)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
