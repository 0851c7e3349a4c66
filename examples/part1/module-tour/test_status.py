import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.request import urlopen

import pytest

PROGRAM = "status.py"


def fetch(url):
    with urlopen(url) as response:
        return response.status, response.headers["Content-Type"], response.read().decode("utf-8")


def test_health_is_json_and_the_status_page_fetches_it(start_example, replay):
    server = start_example(PROGRAM)
    status, content_type, body = fetch(server.url + "/health")
    assert (status, content_type) == (200, "application/json; charset=UTF-8")
    assert json.loads(body) == {"status": "ok"}
    status, content_type, body = fetch(server.url + "/")
    assert (status, content_type) == (200, "text/html; charset=UTF-8")
    assert "<p>Health: ok</p>" in body
    # The status page reached /health over HTTP, through the same server:
    # the access log shows a second request for /health.
    deadline = time.monotonic() + 2
    while server.output().count("200 GET /health ") < 2:
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.01)
    replay("status.console", server)


def test_an_error_status_is_reported_as_down(start_example):
    upstream = start_example(PROGRAM)
    server = start_example(PROGRAM, f"--check={upstream.url}/missing")
    assert "<p>Health: down (HTTP 404)</p>" in fetch(server.url + "/")[2]


def test_a_closed_port_is_reported_as_unreachable(start_example):
    with socket.socket() as closed:  # bound but not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        server = start_example(PROGRAM, f"--check=http://127.0.0.1:{port}/health")
        assert "<p>Health: unreachable (Connection refused)</p>" in fetch(server.url + "/")[2]


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
    httpd = HTTPServer(("127.0.0.1", 0), HostileHealth)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/health"
    httpd.shutdown()
    httpd.server_close()


def test_text_from_the_upstream_is_escaped(start_example, hostile_upstream):
    server = start_example(PROGRAM, f"--check={hostile_upstream}")
    body = fetch(server.url + "/")[2]
    assert "<p>Health: &lt;script&gt;alert(1)&lt;/script&gt;</p>" in body
    assert "<script>" not in body
