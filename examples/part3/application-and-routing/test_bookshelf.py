import tornado.web


def test_transcript(start_example, replay):
    replay("bookshelf.console", start_example("bookshelf.py"))


def test_reverse_url_builds_a_url_that_routes_back_to_the_book(start_example):
    server = start_example("bookshelf.py")
    listing = server.get_json("/books")
    assert [book["url"] for book in listing["books"]] == ["/books/1", "/books/2"]
    for book in listing["books"]:
        # Following the URL that reverse_url built reaches BookHandler for the same book.
        assert server.get_json(book["url"]) == book


def test_initialize_shares_the_injected_shelf_between_handlers(start_example):
    server = start_example("bookshelf.py")
    # The shelf that main() filled is the one the handlers were given.
    assert [b["title"] for b in server.get_json("/books")["books"]] == ["Dune", "Emma"]
    # A book added through one handler class is seen by the other: one shared object.
    response = server.post("/books", form={"title": "Ulysses"})
    assert response.status == 201
    assert response.headers["Location"] == response.json()["url"] == "/books/3"
    assert server.get_json("/books/3")["title"] == "Ulysses"
    assert server.get_json("/books")["books"][-1]["title"] == "Ulysses"


def test_the_application_setting_reaches_the_handler(start_example):
    server = start_example("bookshelf.py")
    assert server.get_json("/books")["shelf"] == "Reading list"


def test_bad_requests_get_4xx(start_example):
    server = start_example("bookshelf.py")
    assert server.get("/books/99").status == 404
    assert server.get("/books/" + "9" * 5000).status == 404  # the pattern allows nine digits
    assert server.get("/books/%D9%A3").status == 404  # a Unicode digit is not [0-9]
    assert server.get("/books/1%00").status == 404
    assert server.post("/books", form={}).status == 400  # no title
    assert server.post("/books", form={"title": ""}).status == 400
    assert server.post("/books", form={"title": "x" * 201}).status == 400
    assert server.request("DELETE", "/books/1").status == 405
    assert [b["title"] for b in server.get_json("/books")["books"]] == ["Dune", "Emma"]  # nothing stored


def test_reverse_url_fills_in_values_without_checking_them():
    app = tornado.web.Application([tornado.web.url(r"/books/([0-9]{1,9})", tornado.web.RequestHandler, name="book")])
    assert app.reverse_url("book", 3) == "/books/3"  # a number becomes a string
    assert app.reverse_url("book", "a b") == "/books/a%20b"  # percent-encoded
    # Not checked against the group: this path matches no route.
    assert app.reverse_url("book", "abc") == "/books/abc"
