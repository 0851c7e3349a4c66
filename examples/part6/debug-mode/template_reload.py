import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

HERE = Path(__file__).parent


class PageHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("page.html", title="Templates only")


def make_app():
    # One part of debug mode on its own: read the templates again on
    # every render, without autoreload and without tracebacks in pages.
    return tornado.web.Application(
        [(r"/page", PageHandler)],
        template_path=HERE / "templates",
        compiled_template_cache=False,
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
