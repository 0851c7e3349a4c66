import asyncio
import http

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

ITEMS = {1: "teapot", 2: "kettle"}


class ItemHandler(tornado.web.RequestHandler):
    def get(self, item_id):
        if int(item_id) not in ITEMS:
            raise tornado.web.HTTPError(404)
        self.write(f"Item {item_id}: {ITEMS[int(item_id)]}\n")

    def write_error(self, status_code, **kwargs):
        # Called for every error response of this handler, with the status already set.
        phrase = http.HTTPStatus(status_code).phrase
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"Sorry: {status_code} {phrase}\n")


def make_app():
    return tornado.web.Application([(r"/items/([0-9]{1,9})", ItemHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
