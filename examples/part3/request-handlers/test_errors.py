import asyncio

import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port


def test_error_pages_are_html_or_json(start_example, replay):
    server = start_example("errors.py")
    response = server.get("/items/7")
    # The message is in the body; the status line keeps the standard phrase.
    assert (response.status, response.reason) == (404, "Not Found")
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "<h1>404 No such item</h1>" in response.text
    # JSON by path...
    response = server.get("/api/items/7")
    assert response.status == 404 and response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json() == {"error": {"status": 404, "message": "No such item"}}
    # ...or by the Accept header.
    response = server.get("/items/7", headers={"Accept": "application/json"})
    assert response.status == 404 and response.json()["error"]["message"] == "No such item"
    # Errors that Tornado raises itself go through write_error too.
    response = server.request("DELETE", "/api/items/1")
    assert response.status == 405
    assert response.json() == {"error": {"status": 405, "message": "Method Not Allowed"}}
    response = server.get("/nowhere")
    assert response.status == 404 and "<h1>404 Not Found</h1>" in response.text
    replay("errors.console", server)


def test_default_headers_are_on_every_response(start_example):
    server = start_example("errors.py")
    cases = [
        ("GET", "/items/1"), ("GET", "/items/7"), ("POST", "/items/1"), ("GET", "/api/nowhere"),
        ("DELETE", "/nowhere"), ("GET", "/items/" + "1" * 5000), ("GET", "/items/%FF"),
        ("GET", "/items/%D9%A3"), ("GET", "/items/1%00"), ("PUT", "/broken"),
    ]  # fmt: skip
    for method, path in cases:
        response = server.request(method, path, body=b"" if method in ("POST", "PUT") else None)
        assert 200 <= response.status < 500, (method, path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", (method, path, response.status)
        assert "Server" not in response.headers, (method, path, response.status)


def test_an_unexpected_exception_is_a_500_that_hides_its_details(start_example):
    # This test provokes a traceback on purpose: the server must log it.
    server = start_example("errors.py", allow_tracebacks=True)
    response = server.get("/broken")
    assert (response.status, response.reason) == (500, "Internal Server Error")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Stock-Checked" not in response.headers  # set in get, thrown away by send_error
    assert "<h1>500 Internal Server Error</h1>" in response.text
    assert "10.0.0.7" not in response.text and "Traceback" not in response.text
    response = server.get("/broken", headers={"Accept": "application/json"})
    assert response.json() == {"error": {"status": 500, "message": "Internal Server Error"}}
    # The details go to the log, where the operator reads them.
    server.wait_for_output("RuntimeError: cannot reach the stock database at 10.0.0.7")


class ReasonHandler(tornado.web.RequestHandler):
    def get(self, case):
        reason = {"chinese": "页码必须是整数", "markup": "use <b>", "plain": "Page must be a number"}[case]
        raise tornado.web.HTTPError(400, reason=reason)


def fetch_reasons(settings):
    async def scenario():
        sock, port = bind_unused_port()
        server = HTTPServer(tornado.web.Application([(r"/(\w+)", ReasonHandler)], **settings))
        server.add_sockets([sock])
        try:
            client = AsyncHTTPClient()
            responses = {}
            for case in ("chinese", "markup", "plain"):
                response = await client.fetch(f"http://127.0.0.1:{port}/{case}", raise_error=False)
                responses[case] = (response.code, response.reason, response.body.decode())
            return responses
        finally:
            server.stop()

    return asyncio.run(scenario())


def test_a_reason_outside_latin1_or_with_markup_becomes_unknown():
    answers = fetch_reasons({})
    assert answers["chinese"][:2] == (400, "Unknown")
    assert answers["markup"][:2] == (400, "Unknown")
    assert answers["plain"][:2] == (400, "Page must be a number")
    assert "400: Unknown" in answers["chinese"][2]  # the default error page shows it too


def test_with_serve_traceback_the_client_sees_the_log_message():
    class LogMessageHandler(tornado.web.RequestHandler):
        def get(self):
            raise tornado.web.HTTPError(400, "page %r is not a number", "two")

    async def scenario(settings):
        sock, port = bind_unused_port()
        app = tornado.web.Application([(r"/", LogMessageHandler)], **settings)
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            response = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/", raise_error=False)
            return response.body.decode()
        finally:
            server.stop()

    assert "is not a number" not in asyncio.run(scenario({}))
    assert "page 'two' is not a number" in asyncio.run(scenario({"serve_traceback": True}))


def test_get_error_html_is_gone():
    assert not hasattr(tornado.web.RequestHandler, "get_error_html")
