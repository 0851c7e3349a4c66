"""A small web site to crawl: nine linked pages, one broken link, one link elsewhere."""

import asyncio

import tornado.web
from tornado.escape import xhtml_escape
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("delay", default=0.2, type=float, help="seconds each page takes to answer, like a distant server")

# Each page: its path, its title, and the addresses it links to.
PAGES = {
    "/": ("Home", ["/news", "/products", "/about"]),
    "/news": ("News", ["/", "/news/2025", "/news/2026"]),
    "/news/2025": ("News of 2025", ["/news"]),
    "/news/2026": ("News of 2026", ["/news", "/products/lamp#reviews"]),
    "/products": ("Products", ["/products/lamp", "/products/chair", "/products/desk"]),
    "/products/lamp": ("Lamp", ["/products"]),
    "/products/chair": ("Chair", ["/products", "/products/desk"]),
    "/products/desk": ("Desk", ["/products", "/products/shelf"]),  # no such page
    "/about": ("About us", ["/", "https://www.tornadoweb.org/"]),  # another site
}

TEMPLATE = """<!DOCTYPE html>
<title>{title}</title>
<h1>{title}</h1>
<ul>
{items}
</ul>
"""


class PageHandler(tornado.web.RequestHandler):
    async def get(self, path):
        await asyncio.sleep(options.delay)
        if path not in PAGES:
            raise tornado.web.HTTPError(404)
        title, links = PAGES[path]
        items = "\n".join(f'<li><a href="{xhtml_escape(link)}">{xhtml_escape(link)}</a></li>' for link in links)
        self.write(TEMPLATE.format(title=xhtml_escape(title), items=items))


def make_app():
    return tornado.web.Application([(r"(/.*)", PageHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
