import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

TEMPLATES = Path(__file__).resolve().parent / "templates"


class CommentHandler(tornado.web.RequestHandler):
    def get(self):
        # The comment comes from the URL: anyone can put anything in it.
        comment = self.get_argument("comment", "")
        self.render("comment.html", comment=comment)


class UnescapedHandler(tornado.web.RequestHandler):
    def get(self):
        comment = self.get_argument("comment", "")
        self.render("unescaped.html", comment=comment)


def make_app():
    return tornado.web.Application(
        [(r"/", CommentHandler), (r"/unescaped", UnescapedHandler)],
        template_path=str(TEMPLATES),
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
