import asyncio
import datetime
import sys
from pathlib import Path

import tornado.locale
import tornado.web
from tornado.options import define, options, parse_command_line

HERE = Path(__file__).resolve().parent

define("port", default=8888, type=int, help="port to listen on")
define("catalogs", default="csv", help="translation format: csv or gettext")
define("gettext_dir", default=str(HERE / "locale"), help="folder of the compiled .mo files")

# The photo the page describes. A real site would read it from a database.
AUTHOR = "Ada"
VIEWS = 12345
TAKEN = datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC)


class LocaleHandler(tornado.web.RequestHandler):
    def get_user_locale(self):
        # An explicit choice beats the browser's header: first ?lang=,
        # then the cookie a language menu would set.
        code = self.get_query_argument("lang", None) or self.get_cookie("lang")
        if code in tornado.locale.get_supported_locales():
            return tornado.locale.get(code)
        return None  # Tornado then asks get_browser_locale()

    def set_default_headers(self):
        # The same URL answers in several languages: tell caches what it depends on.
        self.set_header("Vary", "Accept-Language, Cookie")


class PhotoHandler(LocaleHandler):
    def get(self):
        try:
            likes = int(self.get_query_argument("likes", "1"))
        except ValueError:
            raise tornado.web.HTTPError(400, "likes must be a number")
        _ = self.locale.translate
        views = self.locale.friendly_number(VIEWS)
        date = self.locale.format_date(TAKEN, full_format=True, shorter=True)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        lines = [
            _("Photo by %(author)s") % {"author": AUTHOR},
            _("%(count)d person likes this photo.",
              "%(count)d people like this photo.", likes) % {"count": likes},
            _("%(views)s view", "%(views)s views", VIEWS) % {"views": views},
            _("Taken on %(date)s") % {"date": date},
        ]  # fmt: skip
        self.write("\n".join(lines) + "\n")


class DetailsHandler(LocaleHandler):
    def get(self):
        # One English word, two meanings: the context tells the translator which.
        _, pgettext = self.locale.translate, self.locale.pgettext
        genre = pgettext("genre", "Portrait")
        orientation = pgettext("orientation", "Portrait")
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(_("Genre: %(genre)s") % {"genre": genre} + "\n")
        self.write(_("Orientation: %(orientation)s") % {"orientation": orientation} + "\n")


class LanguagesHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        for code in sorted(tornado.locale.get_supported_locales()):
            self.write(f"{code} {tornado.locale.get(code).name}\n")


def load_translations():
    if options.catalogs == "csv":
        folder = str(HERE / "translations")
        tornado.locale.load_translations(folder)
    elif options.catalogs == "gettext":
        folder = options.gettext_dir
        tornado.locale.load_gettext_translations(folder, "photo")
    else:
        sys.exit(f"photo.py: error: --catalogs must be csv or gettext, not {options.catalogs!r}")
    # Tornado says nothing when it finds no file, and everyone would get English.
    if len(tornado.locale.get_supported_locales()) < 2:
        sys.exit(f"photo.py: error: no {options.catalogs} translations in {folder}")


def make_app():
    return tornado.web.Application(
        [
            (r"/", PhotoHandler),
            (r"/details", DetailsHandler),
            (r"/languages", LanguagesHandler),
        ]
    )


async def main():
    parse_command_line()
    load_translations()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
