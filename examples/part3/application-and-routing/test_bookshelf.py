import json
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import tornado.web


def call(url, form=None):
    data = urlencode(form).encode() if form is not None else None
    try:
        with urlopen(Request(url, data=data)) as response:
            return response.status, response.headers, json.loads(response.read())
    except HTTPError as error:
        return error.code, error.headers, None


def test_transcript(start_example, replay):
    replay("bookshelf.console", start_example("bookshelf.py"))


def test_reverse_url_builds_a_url_that_routes_back_to_the_book(start_example):
    server = start_example("bookshelf.py")
    status, _, listing = call(server.url + "/books")
    assert status == 200
    assert [book["url"] for book in listing["books"]] == ["/books/1", "/books/2"]
    for book in listing["books"]:
        # Following the URL that reverse_url built reaches BookHandler for the same book.
        status, _, answer = call(server.url + book["url"])
        assert status == 200
        assert answer == book


def test_initialize_shares_the_injected_shelf_between_handlers(start_example):
    server = start_example("bookshelf.py")
    # The shelf that main() filled is the one the handlers were given.
    assert [b["title"] for b in call(server.url + "/books")[2]["books"]] == ["Dune", "Emma"]
    # A book added through one handler class is seen by the other: one shared object.
    status, headers, created = call(server.url + "/books", {"title": "Ulysses"})
    assert status == 201
    assert headers["Location"] == created["url"] == "/books/3"
    assert call(server.url + "/books/3")[2]["title"] == "Ulysses"
    assert call(server.url + "/books")[2]["books"][-1]["title"] == "Ulysses"


def test_the_application_setting_reaches_the_handler(start_example):
    server = start_example("bookshelf.py")
    assert call(server.url + "/books")[2]["shelf"] == "Reading list"


def test_bad_requests_get_4xx(start_example):
    server = start_example("bookshelf.py")
    assert call(server.url + "/books/99")[0] == 404
    assert call(server.url + "/books/" + "9" * 5000)[0] == 404  # the pattern allows nine digits
    assert call(server.url + "/books", {})[0] == 400  # no title


def test_reverse_url_fills_in_values_without_checking_them():
    app = tornado.web.Application([tornado.web.url(r"/books/([0-9]{1,9})", tornado.web.RequestHandler, name="book")])
    assert app.reverse_url("book", 3) == "/books/3"  # a number becomes a string
    assert app.reverse_url("book", "a b") == "/books/a%20b"  # percent-encoded
    # Not checked against the group: this path matches no route.
    assert app.reverse_url("book", "abc") == "/books/abc"
