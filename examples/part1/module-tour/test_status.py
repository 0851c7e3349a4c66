import asyncio
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

PROGRAM = "status.py"


def test_health_is_json_and_the_status_page_fetches_it(start_example, replay):
    server = start_example(PROGRAM)
    health = server.get("/health")
    assert (health.status, health.headers["Content-Type"]) == (200, "application/json; charset=UTF-8")
    assert health.json() == {"status": "ok"}
    page = server.get("/")
    assert (page.status, page.headers["Content-Type"]) == (200, "text/html; charset=UTF-8")
    assert "<p>Health: ok</p>" in page.text
    # The status page reached /health over HTTP, through the same server:
    # the access log shows a second request for /health.
    server.wait_for_output(r"200 GET /health ", count=2)
    replay("status.console", server)


def test_an_error_status_is_reported_as_down_and_logged(start_example):
    upstream = start_example(PROGRAM)
    server = start_example(PROGRAM, f"--check={upstream.url}/missing")
    assert "<p>Health: down (HTTP 404)</p>" in server.get("/").text
    # tornado.access logs a 4xx answer as a warning ([W ...]); the handler's
    # own message goes to tornado.application.
    upstream.wait_for_output(r"^\[W [^]]+\] 404 GET /missing ")
    server.wait_for_output(r"^\[W [^]]+\] health check of .*/missing: down \(HTTP 404\)")


def test_a_closed_port_is_an_oserror(start_example):
    with socket.socket() as closed:  # bound but not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        server = start_example(PROGRAM, f"--check=http://127.0.0.1:{port}/health")
        assert "<p>Health: unreachable (Connection refused)</p>" in server.get("/").text


def test_an_upstream_that_never_answers_is_http_599_not_oserror(start_example):
    with socket.socket() as silent:  # listening: the kernel accepts, nobody ever reads
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/health"
        server = start_example(PROGRAM, f"--check={url}", "--timeout=0.3")
        started = time.monotonic()
        page = server.get("/").text
        assert time.monotonic() - started >= 0.3
        # HTTPClientError with the code 599 ("Timeout during request").
        assert "<p>Health: unreachable (Timeout during request)</p>" in page


def test_a_connection_that_never_completes_is_http_599_too(start_example):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(0)  # the accept queue holds one connection; nobody accepts
        port = busy.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
        try:
            server = start_example(PROGRAM, f"--check=http://127.0.0.1:{port}/health", "--timeout=0.3")
            page = server.get("/").text
        finally:
            for filler in fillers:
                filler.close()
    assert f"<p>Health: unreachable (Timeout while connecting to 127.0.0.1:{port})</p>" in page


def test_a_connection_closed_before_the_answer_is_http_599_too(start_example):
    with socket.socket() as rude:
        rude.bind(("127.0.0.1", 0))
        rude.listen(8)

        def hang_up():  # read the request, then close without a word
            connection, _ = rude.accept()
            connection.recv(65536)
            connection.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        server = start_example(PROGRAM, f"--check=http://127.0.0.1:{rude.getsockname()[1]}/health")
        assert "<p>Health: unreachable (Stream closed)</p>" in server.get("/").text
        thread.join(5)


def test_listen_passes_its_keyword_arguments_to_the_server(start_example):
    server = start_example(PROGRAM)
    assert server.post("/health", body=b"x" * 1024).status == 405  # the handler's turn came
    assert server.post("/health", body=b"x" * 1025).status == 400  # max_body_size=1024


class RemoteIP(tornado.web.RequestHandler):
    def get(self):
        self.write(self.request.remote_ip)


async def remote_ip_seen(**listen_arguments):
    server = tornado.web.Application([(r"/", RemoteIP)]).listen(0, address="127.0.0.1", **listen_arguments)
    port = next(iter(server._sockets.values())).getsockname()[1]  # listen(0) chose it
    client = AsyncHTTPClient(force_instance=True)
    try:
        response = await client.fetch(f"http://127.0.0.1:{port}/", headers={"X-Real-Ip": "203.0.113.7"})
        return response.body.decode()
    finally:
        client.close()
        server.stop()


def test_listen_takes_xheaders_without_an_httpserver_of_your_own():
    assert asyncio.run(remote_ip_seen()) == "127.0.0.1"
    assert asyncio.run(remote_ip_seen(xheaders=True)) == "203.0.113.7"


class HostileHealth(BaseHTTPRequestHandler):
    """A health endpoint whose answer carries HTML."""

    def do_GET(self):
        body = json.dumps({"status": "<script>alert(1)</script>"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile_upstream():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), HostileHealth)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/health"
    httpd.shutdown()
    httpd.server_close()


def test_text_from_the_upstream_is_escaped(start_example, hostile_upstream):
    server = start_example(PROGRAM, f"--check={hostile_upstream}")
    body = server.get("/").text
    assert "<p>Health: &lt;script&gt;alert(1)&lt;/script&gt;</p>" in body
    assert "<script>" not in body


class Answer(tornado.web.RequestHandler):
    def get(self, status):
        if status == "500":
            raise RuntimeError("a bug")  # tornado.application logs it with its traceback
        self.set_status(int(status))


async def fetch_statuses(statuses):
    sock, port = bind_unused_port()  # a free port on 127.0.0.1
    server = HTTPServer(tornado.web.Application([(r"/(\d+)", Answer)]))
    server.add_sockets([sock])
    client = AsyncHTTPClient(force_instance=True)
    try:
        for status in statuses:
            await client.fetch(f"http://127.0.0.1:{port}/{status}", raise_error=False)
    finally:
        client.close()
        server.stop()


def test_the_access_log_level_follows_the_status(caplog):
    caplog.set_level(logging.INFO)
    asyncio.run(fetch_statuses([200, 404, 500]))
    access = [
        (record.levelname, record.getMessage().split(" (")[0])
        for record in caplog.records
        if record.name == "tornado.access"
    ]
    assert access == [("INFO", "200 GET /200"), ("WARNING", "404 GET /404"), ("ERROR", "500 GET /500")]
    bugs = [record for record in caplog.records if record.name == "tornado.application"]
    assert len(bugs) == 1 and bugs[0].exc_info[0] is RuntimeError


def test_parse_command_line_gives_the_log_its_format(start_example):
    server = start_example(PROGRAM)
    server.get("/health")
    server.wait_for_output(r"^\[I \d{6} \d\d:\d\d:\d\d web:\d+\] 200 GET /health ")
