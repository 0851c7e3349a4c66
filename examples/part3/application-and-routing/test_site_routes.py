import tornado.options
import tornado.web
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

PROGRAM = "site_routes.py"


def test_transcript(start_example, replay):
    replay("site_routes.console", start_example(PROGRAM))


def test_the_first_matching_route_wins(start_example):
    server = start_example(PROGRAM)
    assert server.get("/books/new").text == "the form for a new book\n"
    assert server.get("/books/dune").text == "the book dune\n"


def handler_for(app, path):
    """The handler class and positional arguments that the application picks for a GET of path."""
    start = RequestStartLine("GET", path, "HTTP/1.1")
    request = HTTPServerRequest(start_line=start, headers=HTTPHeaders({"Host": "127.0.0.1"}))
    delegate = app.find_handler(request)
    return delegate.handler_class, delegate.path_args


def test_in_the_other_order_the_general_pattern_takes_new(import_example):
    routes = import_example(PROGRAM)
    swapped = tornado.web.Application(
        [
            (r"/books/([a-z0-9-]{1,50})", routes.BookHandler),
            (r"/books/new", routes.NewBookHandler),
        ]
    )
    assert handler_for(swapped, "/books/new") == (routes.BookHandler, [b"new"])  # raw bytes, decoded later
    assert handler_for(routes.make_app(), "/books/new") == (routes.NewBookHandler, [])


def test_a_trailing_slash_is_another_path(start_example):
    server = start_example(PROGRAM)
    assert server.get("/about").status == 200
    assert server.get("/about/").status == 404
    assert server.get("/books/dune/").status == 404


def test_a_second_host_has_its_own_routes_and_falls_back_to_the_main_ones(start_example):
    server = start_example(PROGRAM)
    api = {"Host": f"api.localhost:{server.port}"}
    assert server.get_json("/status", headers=api) == {"api": "ok"}
    assert server.get_json("/status", headers={"Host": "API.LOCALHOST"}) == {"api": "ok"}  # any case, any port
    assert server.get("/status").status == 404  # not on the main host
    assert server.get("/status", headers={"Host": "evil.example"}).status == 404
    # A path the api host does not have falls through to the main routes.
    assert server.get("/about", headers=api).text == "about this site\n"


def test_hostile_paths_are_4xx(start_example):
    server = start_example(PROGRAM)
    for path in ["/books/" + "a" * 5000, "/books/%00", "/books/%FF", "/books/%D9%A3", "/books/Dune", "/about%00"]:
        assert 400 <= server.get(path).status < 500, path
    assert server.post("/about", body=b"").status == 405


def test_default_host_is_a_parameter_not_a_setting():
    app = tornado.web.Application([], default_host="www.example.com", transforms=[], shelf_name="Reading list")
    assert app.default_host == "www.example.com"
    assert "default_host" not in app.settings and "transforms" not in app.settings
    assert app.settings["shelf_name"] == "Reading list"
