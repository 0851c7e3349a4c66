import pytest

JSON = {"Content-Type": "application/json"}


def test_query_arguments_and_lists(start_example, replay):
    server = start_example("arguments.py")
    answer = server.get_json("/search?q=tea&tag=green&tag=loose")
    assert answer == {"q": "tea", "tags": ["green", "loose"], "page": 1}
    assert server.get_json("/search?q=%E7%BB%BF%E8%8C%B6&page=3") == {"q": "绿茶", "tags": [], "page": 3}
    # Decoded, and stripped of spaces at both ends; a repeated name gives its last value.
    assert server.get_json("/search?q=%20tea%20&q=coffee")["q"] == "coffee"
    assert server.get_json("/search?q=%20tea%20")["q"] == "tea"
    replay("arguments-search.console", server)


def test_a_missing_argument_is_400_with_a_log_message(start_example):
    server = start_example("arguments.py")
    response = server.get("/search?tag=green")
    assert (response.status, response.reason) == (400, "Bad Request")
    assert "Missing argument q" not in response.text  # the client sees only "Bad Request"
    server.wait_for_output("Missing argument q")


@pytest.mark.parametrize(
    "page, message",
    [
        ("two", "page must be a whole number"),
        ("9" * 5000, "page must be a whole number"),  # int() refuses more than 4,300 digits
        ("%C2%B2", "page must be a whole number"),  # "²": isdigit() is true, int() fails
        ("%00", "page must be a whole number"),  # NUL: Tornado makes it a space, then strips it
        ("0", "page must be from 1 to 1000"),
        ("-3", "page must be from 1 to 1000"),
        ("1" + "0" * 30, "page must be from 1 to 1000"),
    ],
)
def test_a_malformed_argument_is_400_with_the_message_in_the_body(start_example, page, message):
    server = start_example("arguments.py")
    response = server.get(f"/search?q=tea&page={page}")
    # The status line keeps its standard phrase; what to fix is in the body.
    assert (response.status, response.reason) == (400, "Bad Request"), page[:20]
    assert response.json() == {"error": message}


def test_an_argument_that_is_not_utf8_is_400(start_example):
    server = start_example("arguments.py")
    assert server.get("/search?q=%FF").status == 400


def test_body_and_query_arguments_are_kept_apart_and_merged(start_example, replay):
    server = start_example("arguments.py")
    response = server.post("/colors?color=red", form={"color": "blue"})
    assert response.status == 200
    # get_argument sees both and returns the last value: the body's.
    assert response.json() == {"query": "red", "body": "blue", "either": "blue", "all": ["red", "blue"]}
    response = server.post("/colors", form={})
    assert response.json() == {"query": None, "body": None, "either": None, "all": []}
    replay("arguments-colors.console", server)


def test_json_body_creates_an_order(start_example, replay):
    server = start_example("arguments.py")
    replay("arguments-orders.console", server)  # creates order 1
    response = server.post("/orders", json={"item": "milk"})
    assert response.status == 201
    assert response.headers["Location"] == "/orders/2"
    assert response.json() == {"id": 2, "item": "milk", "quantity": 1}
    assert server.get_json("/orders/2") == {"id": 2, "item": "milk", "quantity": 1}
    assert server.get("/orders/3").status == 404


BAD_BODIES = [
    (b'{"item": "tea"', "Body is not valid JSON"),
    (b"", "Body is not valid JSON"),
    (b'{"item": "\xff"}', "Body is not valid JSON"),  # not UTF-8
    (b"[" * 50_000, "Body is not valid JSON"),  # too deep for the decoder
    (b'["tea", 2]', "Body must be a JSON object"),
    (b"12", "Body must be a JSON object"),
    (b'{"quantity": 2}', "item must be a non-empty string"),
    (b'{"item": "  "}', "item must be a non-empty string"),
    (b'{"item": "tea", "quantity": "2"}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": true}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 2.5}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 0}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": NaN}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 1e400}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 1' + b"0" * 5000 + b"}", "Body is not valid JSON"),
]


def test_bad_json_is_400_with_a_message(start_example):
    server = start_example("arguments.py")
    for body, message in BAD_BODIES:
        response = server.post("/orders", body=body, headers=JSON)
        assert (response.status, response.json()) == (400, {"error": message}), body[:40]
    assert server.get("/orders/1").status == 404  # nothing was stored


def test_hostile_paths_and_methods_are_4xx(start_example):
    server = start_example("arguments.py")
    for method, path in [
        ("GET", "/orders/" + "9" * 5000), ("GET", "/orders/99999999999999999999"),
        ("GET", "/orders/%D9%A3"), ("GET", "/orders/1%00"), ("DELETE", "/orders"),
        ("PUT", "/search?q=tea"), ("POST", "/inspect"),
    ]:  # fmt: skip
        status = server.request(method, path, body=b"" if method in ("POST", "PUT") else None).status
        assert 400 <= status < 500, (method, path, status)


def test_the_server_refuses_a_body_over_64_kib(start_example, announce_body):
    server = start_example("arguments.py")
    assert server.post("/orders", json={"item": "x" * 60_000}).status == 201
    status_line = announce_body(server, "POST", "/orders", 64 * 1024 + 1, "application/json")
    assert status_line == "HTTP/1.1 400 Bad Request"
    assert server.get("/orders/2").status == 404


def test_the_request_object(start_example, replay):
    server = start_example("arguments.py")
    response = server.get("/inspect?a=1&a=2", headers={"User-Agent": "test-agent"})
    assert response.status == 200
    assert response.text.splitlines() == [
        "method: GET",
        "path: /inspect",
        "query: a=1&a=2",
        "arguments: {'a': [b'1', b'2']}",
        "remote_ip: 127.0.0.1",
        "user agent: test-agent",
    ]
    replay("arguments-inspect.console", server)


def test_get_answers_carry_an_etag_and_a_match_gets_304(start_example, replay):
    server = start_example("arguments.py")
    first = server.get("/search?q=tea")
    etag = first.headers["Etag"]
    assert first.status == 200 and etag.startswith('"')
    again = server.get("/search?q=tea", headers={"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")
    # Another answer has another Etag, so the old one does not match.
    assert server.get("/search?q=coffee", headers={"If-None-Match": etag}).status == 200
    # Only GET and HEAD answers with status 200 get one.
    assert "Etag" not in server.post("/orders", json={"item": "tea"}).headers
    assert "Etag" not in server.get("/search?q=tea&page=0").headers
    replay("arguments-etag.console", server)


def test_headers_ignore_the_case_of_names():
    from tornado.httputil import HTTPHeaders

    headers = HTTPHeaders({"User-Agent": "guide-reader/1.0"})
    assert headers.get("user-agent") == headers["USER-AGENT"] == "guide-reader/1.0"


def test_tornado_adds_content_type_length_and_date(start_example):
    server = start_example("arguments.py")
    response = server.get("/search?q=tea")
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.headers["Content-Length"] == str(len(response.body))
    assert response.headers["Date"].endswith(" GMT")
