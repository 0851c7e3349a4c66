import http.client
import json


def request(server, method, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.reason, response.headers, response.read().decode()
    finally:
        connection.close()


def test_error_pages_are_html_or_json(start_example, replay):
    server = start_example("errors.py")
    status, reason, headers, body = request(server, "GET", "/items/7")
    assert (status, reason) == (404, "No such item")
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "<h1>404 No such item</h1>" in body
    # JSON by path...
    status, _, headers, body = request(server, "GET", "/api/items/7")
    assert status == 404 and headers["Content-Type"] == "application/json; charset=UTF-8"
    assert json.loads(body) == {"error": {"status": 404, "message": "No such item"}}
    # ...or by the Accept header.
    status, _, _, body = request(server, "GET", "/items/7", {"Accept": "application/json"})
    assert status == 404 and json.loads(body)["error"]["message"] == "No such item"
    # Errors that Tornado raises itself go through write_error too.
    status, _, _, body = request(server, "DELETE", "/api/items/1")
    assert status == 405 and json.loads(body) == {"error": {"status": 405, "message": "Method Not Allowed"}}
    status, _, _, body = request(server, "GET", "/nowhere")
    assert status == 404 and "<h1>404 Not Found</h1>" in body
    replay("errors.console", server)


def test_default_headers_are_on_every_response(start_example):
    server = start_example("errors.py")
    cases = [
        ("GET", "/items/1"), ("GET", "/items/7"), ("POST", "/items/1"), ("GET", "/api/nowhere"),
        ("DELETE", "/nowhere"), ("GET", "/items/" + "1" * 50), ("GET", "/items/%FF"),
    ]  # fmt: skip
    for method, path in cases:
        status, _, headers, _ = request(server, method, path)
        assert 200 <= status < 500, (method, path)
        assert headers["X-Content-Type-Options"] == "nosniff", (method, path, status)
        assert "Server" not in headers, (method, path, status)


def test_an_unexpected_exception_is_a_500_that_hides_its_details(start_example):
    # This test provokes a traceback on purpose: the server must log it.
    server = start_example("errors.py", allow_tracebacks=True)
    status, reason, headers, body = request(server, "GET", "/broken")
    assert (status, reason) == (500, "Internal Server Error")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Stock-Checked" not in headers  # set in get, thrown away by send_error
    assert "<h1>500 Internal Server Error</h1>" in body
    assert "10.0.0.7" not in body and "Traceback" not in body
    status, _, _, body = request(server, "GET", "/broken", {"Accept": "application/json"})
    assert json.loads(body) == {"error": {"status": 500, "message": "Internal Server Error"}}
    # The details go to the log, where the operator reads them.
    assert "RuntimeError: cannot reach the stock database at 10.0.0.7" in server.output()
