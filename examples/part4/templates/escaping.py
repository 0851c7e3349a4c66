import asyncio
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

TEMPLATES = Path(__file__).resolve().parent / "templates"

# The unescaped paragraphs show this fixed text, never the visitor's: a demo
# must not hand every visitor a working cross-site scripting hole.
SAMPLE = '<em>Hi</em><script>document.title = "Script ran"</script>'


class CommentHandler(tornado.web.RequestHandler):
    def get(self):
        # The comment comes from the URL: anyone can put anything in it.
        comment = self.get_argument("comment", SAMPLE)
        self.render("comment.html", comment=comment, sample=SAMPLE)


class UnescapedHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("unescaped.html", sample=SAMPLE)


def make_app():
    return tornado.web.Application(
        [(r"/", CommentHandler), (r"/unescaped", UnescapedHandler)],
        template_path=str(TEMPLATES),
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
