import asyncio
import json

import tornado.web
from tornado.options import define, options, parse_command_line
from tornado.web import HTTPError

define("port", default=8888, type=int, help="port to listen on")

MAX_BODY = 64 * 1024  # forms and JSON orders are small


class ApiHandler(tornado.web.RequestHandler):
    def refuse(self, message, status=400):
        """End the request with `status` and a JSON body that says what to fix."""
        self.set_status(status)
        raise tornado.web.Finish({"error": message})


class SearchHandler(ApiHandler):
    def get(self):
        query = self.get_argument("q")  # required: missing gives 400
        tags = self.get_arguments("tag")  # every value, maybe none
        try:
            page = int(self.get_argument("page", "1"))
        except ValueError:
            self.refuse("page must be a whole number")
        if not 1 <= page <= 1000:
            self.refuse("page must be from 1 to 1000")
        self.write({"q": query, "tags": tags, "page": page})


class ColorHandler(tornado.web.RequestHandler):
    def post(self):
        self.write(
            {
                "query": self.get_query_argument("color", None),
                "body": self.get_body_argument("color", None),
                "either": self.get_argument("color", None),
                "all": self.get_arguments("color"),
            }
        )


class OrdersHandler(ApiHandler):
    def initialize(self, orders):
        self.orders = orders

    def post(self):
        try:
            data = json.loads(self.request.body)
        except (ValueError, RecursionError):
            self.refuse("Body is not valid JSON")
        if not isinstance(data, dict):
            self.refuse("Body must be a JSON object")
        item = data.get("item")
        quantity = data.get("quantity", 1)
        if not isinstance(item, str) or not item.strip():
            self.refuse("item must be a non-empty string")
        # bool is a subclass of int in Python, so rule it out by name.
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100:
            self.refuse("quantity must be a whole number from 1 to 100")
        self.orders.append({"item": item, "quantity": quantity})
        order_id = len(self.orders)
        self.set_status(201)
        self.set_header("Location", f"/orders/{order_id}")
        self.write({"id": order_id, "item": item, "quantity": quantity})


class OrderHandler(tornado.web.RequestHandler):
    def initialize(self, orders):
        self.orders = orders

    def get(self, order_id):
        number = int(order_id)
        if not 1 <= number <= len(self.orders):
            raise HTTPError(404)
        self.write({"id": number, **self.orders[number - 1]})


class InspectHandler(tornado.web.RequestHandler):
    def get(self):
        request = self.request
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"method: {request.method}\n")
        self.write(f"path: {request.path}\n")
        self.write(f"query: {request.query}\n")
        self.write(f"arguments: {request.arguments}\n")
        self.write(f"remote_ip: {request.remote_ip}\n")
        self.write(f"user agent: {request.headers.get('User-Agent', '(none)')}\n")


def make_app():
    orders = []
    return tornado.web.Application(
        [
            (r"/search", SearchHandler),
            (r"/colors", ColorHandler),
            (r"/orders", OrdersHandler, dict(orders=orders)),
            (r"/orders/([0-9]{1,9})", OrderHandler, dict(orders=orders)),
            (r"/inspect", InspectHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_BODY)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
