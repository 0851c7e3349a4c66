import http.client
import json
from urllib.parse import urlencode


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.reason, response.getheaders(), response.read()
    finally:
        connection.close()


def get_json(server, path):
    status, _, _, body = request(server, "GET", path)
    assert status == 200, body
    return json.loads(body)


JSON = {"Content-Type": "application/json"}


def test_query_arguments_and_lists(start_example, replay):
    server = start_example("arguments.py")
    answer = get_json(server, "/search?q=tea&tag=green&tag=loose")
    assert answer == {"q": "tea", "tags": ["green", "loose"], "page": 1}
    assert get_json(server, "/search?q=%E7%BB%BF%E8%8C%B6&page=3") == {"q": "绿茶", "tags": [], "page": 3}
    # Decoded, and stripped of spaces at both ends; a repeated name gives its last value.
    assert get_json(server, "/search?q=%20tea%20&q=coffee")["q"] == "coffee"
    assert get_json(server, "/search?q=%20tea%20")["q"] == "tea"
    replay("search.console", server)


def test_a_missing_or_malformed_argument_is_400(start_example):
    server = start_example("arguments.py")
    status, reason, _, _ = request(server, "GET", "/search?tag=green")
    assert (status, reason) == (400, "Bad Request")
    assert "Missing argument q" in server.output()
    for page in ("two", "0", "-3", "9" * 5000, "%C2%B2"):  # "²" looks like a digit to isdigit()
        status, reason, _, _ = request(server, "GET", f"/search?q=tea&page={page}")
        assert status == 400, page
    assert request(server, "GET", "/search?q=%FF")[0] == 400  # not UTF-8


def test_body_and_query_arguments_are_kept_apart_and_merged(start_example, replay):
    server = start_example("arguments.py")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _, body = request(server, "POST", "/colors?color=red", urlencode({"color": "blue"}), form)
    assert status == 200
    # get_argument sees both and returns the last value: the body's.
    assert json.loads(body) == {"query": "red", "body": "blue", "either": "blue", "all": ["red", "blue"]}
    _, _, _, body = request(server, "POST", "/colors", "", form)
    assert json.loads(body) == {"query": None, "body": None, "either": None, "all": []}
    replay("colors.console", server)


def test_json_body_creates_an_order(start_example, replay):
    server = start_example("arguments.py")
    replay("orders.console", server)  # creates order 1
    status, _, headers, body = request(server, "POST", "/orders", json.dumps({"item": "milk"}), JSON)
    assert status == 201
    assert dict(headers)["Location"] == "/orders/2"
    assert json.loads(body) == {"id": 2, "item": "milk", "quantity": 1}
    assert get_json(server, "/orders/2") == {"id": 2, "item": "milk", "quantity": 1}
    assert request(server, "GET", "/orders/3")[0] == 404


BAD_BODIES = [
    (b'{"item": "tea"', "Body is not valid JSON"),
    (b"", "Body is not valid JSON"),
    (b'{"item": "\xff"}', "Body is not valid JSON"),  # not UTF-8
    (b"[" * 100_000, "Body is not valid JSON"),  # too deep for the decoder
    (b'["tea", 2]', "Body must be a JSON object"),
    (b'{"quantity": 2}', "item must be a non-empty string"),
    (b'{"item": "  "}', "item must be a non-empty string"),
    (b'{"item": "tea", "quantity": "2"}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": true}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 2.5}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 0}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": NaN}', "quantity must be a whole number from 1 to 100"),
    (b'{"item": "tea", "quantity": 1' + b"0" * 5000 + b"}", "Body is not valid JSON"),
]


def test_bad_json_is_400_with_a_reason(start_example):
    server = start_example("arguments.py")
    for body, reason in BAD_BODIES:
        status, actual_reason, _, _ = request(server, "POST", "/orders", body, JSON)
        assert (status, actual_reason) == (400, reason), body[:40]
    assert request(server, "GET", "/orders/1")[0] == 404  # nothing was stored


def test_the_request_object(start_example, replay):
    server = start_example("arguments.py")
    status, _, _, body = request(server, "GET", "/inspect?a=1&a=2", headers={"User-Agent": "test-agent"})
    assert status == 200
    assert body.decode().splitlines() == [
        "method: GET",
        "path: /inspect",
        "query: a=1&a=2",
        "arguments: {'a': [b'1', b'2']}",
        "remote_ip: 127.0.0.1",
        "user agent: test-agent",
    ]
    replay("inspect.console", server)
