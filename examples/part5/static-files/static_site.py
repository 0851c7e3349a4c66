import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

HERE = Path(__file__).resolve().parent

define("port", default=8888, type=int, help="port to listen on")
define("static_path", default=str(HERE / "static"), help="folder of the static files")


class HomeHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("home.html")


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # No file name holds a NUL character. Tornado 6.6 answers %00
        # with a 500 error; refuse it as a bad request instead.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400, "NUL character in path")
        return super().parse_url_path(url_path)


def make_app():
    static = {"path": options.static_path}
    return tornado.web.Application(
        [
            (r"/", HomeHandler),
            # /favicon.ico and /robots.txt get routes from static_path;
            # any other file at the root of the site needs its own.
            (r"/(sitemap\.xml)", StrictStaticFileHandler, static),
        ],
        static_path=options.static_path,
        static_handler_class=StrictStaticFileHandler,
        # Arguments for the handler of the static_path routes: a folder
        # such as /static/docs/ serves the index.html inside it.
        static_handler_args=dict(default_filename="index.html"),
        template_path=str(HERE / "templates"),
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
