import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

# The templates live next to this file, whatever the current directory is.
TEMPLATES = Path(__file__).resolve().parent / "templates"


class HelloHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name", "world")
        self.render("hello.html", name=name)


def make_app():
    return tornado.web.Application(
        [(r"/", HelloHandler)],
        template_path=str(TEMPLATES),
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
