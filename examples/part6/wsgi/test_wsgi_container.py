import asyncio
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import tornado.web
import tornado.wsgi
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets


def test_flask_app_and_tornado_handler_share_one_server(start_example, replay):
    server = start_example("wsgi_container.py")
    status = server.get("/status")
    assert status.text == "Tornado handler\n"
    assert status.headers["Server"].startswith("TornadoServer/")
    report = server.get("/reports/2024?x=1")
    assert report.status == 200
    assert report.headers["Content-Type"] == "application/json"
    # With an executor, the container tells the application that it runs on threads.
    assert report.json() == {"year": 2024, "path": "/reports/2024", "multithread": True}
    replay("wsgi_container.console", server)


def test_flask_answers_what_its_routes_do_not_match(start_example):
    server = start_example("wsgi_container.py")
    assert server.get("/reports/abc").status == 404  # Flask's <int:...> refuses it
    assert server.get("/nowhere").status == 404
    assert "Not Found" in server.get("/nowhere").text  # Flask's own error page


def test_tornado_6_cannot_turn_an_application_into_wsgi():
    # The adapters of Tornado 5 and earlier were removed in Tornado 6.0.
    assert not hasattr(tornado.wsgi, "WSGIAdapter")
    assert not hasattr(tornado.wsgi, "WSGIApplication")
    assert hasattr(tornado.wsgi, "WSGIContainer")


def streaming_app(environ, start_response):
    """A WSGI application that sends its body in two parts, 0.5 s apart."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"first part\n"
    time.sleep(0.5)
    yield b"second part\n"


def test_the_container_sends_nothing_until_the_whole_body_is_ready():
    async def first_bytes_after():
        [sock] = bind_sockets(0, address="127.0.0.1")
        container = tornado.wsgi.WSGIContainer(streaming_app, executor=ThreadPoolExecutor(2))
        server = HTTPServer(tornado.web.Application([(r".*", tornado.web.FallbackHandler, {"fallback": container})]))
        server.add_sockets([sock])
        loop = asyncio.get_running_loop()

        def client():
            with socket.create_connection(sock.getsockname(), timeout=5) as conn:
                started = time.monotonic()
                conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                data = conn.recv(4096)
                waited = time.monotonic() - started
                while b"second part" not in data:
                    data += conn.recv(4096)
                return waited, data

        try:
            return await loop.run_in_executor(None, client)
        finally:
            server.stop()

    waited, data = asyncio.run(first_bytes_after())
    assert waited >= 0.45  # the first part waited for the second
    assert b"Content-Length: 23" in data  # one body, counted before sending
