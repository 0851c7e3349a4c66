import asyncio
import hmac
import itertools
import os
import sys
from pathlib import Path

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

HERE = Path(__file__).parent


class Notes:
    def __init__(self):
        self.texts = {}
        self.ids = itertools.count(1)

    def add(self, text):
        note_id = next(self.ids)
        self.texts[note_id] = text
        return note_id


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, notes):
        self.notes = notes

    def note_text(self):
        text = self.get_body_argument("text")
        if not text:
            raise tornado.web.HTTPError(400, reason="Empty note")
        return text


class StrictStaticFileHandler(tornado.web.StaticFileHandler):
    def parse_url_path(self, url_path):
        # Tornado 6.6 answers a NUL in the path with 500; it names no file.
        if "\x00" in url_path:
            raise tornado.web.HTTPError(400)
        return super().parse_url_path(url_path)


class HomeHandler(BaseHandler):
    def get(self):
        self.render("notes.html", notes=self.notes.texts)


class NotesHandler(BaseHandler):
    def post(self):
        self.notes.add(self.note_text())
        self.redirect("/", status=303)


class NoteHandler(BaseHandler):
    def prepare(self):
        self.note_id = int(self.path_args[0])
        if self.note_id not in self.notes.texts:
            raise tornado.web.HTTPError(404)

    def put(self, _):
        self.notes.texts[self.note_id] = self.note_text()
        self.write({"id": self.note_id, "text": self.notes.texts[self.note_id]})

    def delete(self, _):
        del self.notes.texts[self.note_id]
        self.set_status(204)


class ApiNotesHandler(BaseHandler):
    """For programs, not browsers: authenticated by a bearer token, never by a cookie."""

    def get_current_user(self):
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        expected = self.settings["api_token"]
        if scheme == "Bearer" and hmac.compare_digest(token.encode(), expected.encode()):
            return "api-client"
        return None

    def check_xsrf_cookie(self):
        # Browsers never add a bearer token to a request on their own, so a
        # request that carries a valid one was not forged by another site.
        # Without one, the request gets the usual check.
        if self.current_user is None:
            super().check_xsrf_cookie()

    def check_trusted_origin(self, origin):
        # cross_origin_protection asks this for a request from another origin.
        # A page elsewhere may call the API, but only with a valid token.
        return self.current_user is not None

    def prepare(self):
        if self.current_user is None:
            self.set_status(401)
            self.set_header("WWW-Authenticate", "Bearer")
            self.finish({"error": "a valid bearer token is required"})

    def post(self):
        note_id = self.notes.add(self.note_text())
        self.set_status(201)
        self.write({"id": note_id, "text": self.notes.texts[note_id]})


def make_app(api_token):
    notes = dict(notes=Notes())
    return tornado.web.Application(
        [
            (r"/", HomeHandler, notes),
            (r"/notes", NotesHandler, notes),
            (r"/notes/([0-9]{1,9})", NoteHandler, notes),
            (r"/api/notes", ApiNotesHandler, notes),
        ],
        xsrf_cookies=True,
        # A __Host- cookie is set only by this host over HTTPS, never by a
        # sibling subdomain; browsers require Secure and Path=/ for the name.
        xsrf_cookie_name="__Host-xsrf",
        xsrf_cookie_kwargs=dict(secure=True, samesite="Lax"),
        cross_origin_protection=True,
        api_token=api_token,
        template_path=HERE / "templates",
        static_path=HERE / "static",
        static_handler_class=StrictStaticFileHandler,
    )


def read_api_token():
    # The token is a password: it comes from the environment, never from the source.
    token = os.environ.get("NOTES_API_TOKEN", "")
    if len(token) < 32:
        sys.exit("notes.py: error: set NOTES_API_TOKEN in the environment (32 characters or more)")
    return token


async def main():
    parse_command_line()
    app = make_app(read_api_token())
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
