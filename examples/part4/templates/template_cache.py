import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define(
    "template_path", default=str(Path(__file__).resolve().parent / "templates"), help="the folder that holds hello.html"
)
define(
    "compiled_template_cache",
    default=True,
    type=bool,
    help="compile each template once; false rereads it on every request",
)


class HelloHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("hello.html", name=self.get_argument("name", "world"))


def make_app():
    return tornado.web.Application(
        [(r"/", HelloHandler)],
        template_path=options.template_path,
        compiled_template_cache=options.compiled_template_cache,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
