import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")


class GreetHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name")  # missing: 400 Bad Request
        self.write({"greeting": f"Hello, {name}!"})


def make_app():
    return tornado.web.Application([(r"/greet", GreetHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
