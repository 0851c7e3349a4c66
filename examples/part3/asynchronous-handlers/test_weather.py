import asyncio
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

PROGRAM = "weather.py"
GATE_TIMEOUT = 3.0


def fetch(server, path):
    """Status, content type and text of a response, error statuses included."""
    response = server.get(path)
    return response.status, response.headers["Content-Type"], response.text


def wait_for_log(server, text, timeout=2.0):
    server.wait_for_output(re.escape(text), timeout=timeout)


def test_the_handler_asks_the_upstream_service(start_example, replay):
    upstream = start_example("upstream.py")
    server = start_example(PROGRAM, f"--upstream={upstream.url}")
    assert fetch(server, "/weather/beijing") == (200, "text/plain; charset=UTF-8", "Beijing: sunny, up to 31 °C\n")
    assert fetch(server, "/weather/Harbin")[2] == "Harbin: snow, up to -12 °C\n"
    # The answer really came from the upstream: it logged the request.
    wait_for_log(upstream, "200 GET /forecast/Harbin (127.0.0.1)")
    # A city the upstream does not know is the client's mistake: 404, not 502.
    assert fetch(server, "/weather/paris") == (404, "text/plain; charset=UTF-8", "No forecast for this city.\n")
    replay("weather.console", server)


def test_a_refused_connection_gives_a_502_page(start_example, replay):
    with socket.socket() as closed:  # bound but not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        server = start_example(PROGRAM, f"--upstream=http://127.0.0.1:{closed.getsockname()[1]}")
        status, content_type, text = fetch(server, "/weather/beijing")
        assert (status, content_type) == (502, "text/plain; charset=UTF-8")
        assert text == "The forecast service is not answering properly. Please try again later.\n"
        # The details go to the log, for the operator, not to the visitor.
        wait_for_log(server, "failed: [Errno 111] Connection refused")
        replay("weather-bad-gateway.console", server)
    # The fixture also fails the test if the server logged a traceback.


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default, 5, drops connections when many arrive at once


class FakeUpstream:
    """A forecast service that misbehaves on request, served from a thread.

    /forecast/broken answers 500, and /forecast/garbled answers text that is
    not JSON. Any other city gets a forecast, and
    the service counts how many such requests are in progress at once; they
    wait at a gate until `expected` of them are in progress (or GATE_TIMEOUT).
    """

    def __init__(self, expected=1):
        self.expected = expected
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self.gate = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                city = self.path.rsplit("/", 1)[-1]
                if city == "broken":
                    return self.send_error(500)
                if city == "garbled":
                    return self.answer(b"<html>not JSON</html>")
                with fake.lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    if fake.in_flight >= fake.expected:
                        fake.gate.set()
                fake.gate.wait(GATE_TIMEOUT)
                with fake.lock:  # counted out before the answer leaves
                    fake.in_flight -= 1
                self.answer(json.dumps({"city": city, "sky": "fog", "high": 9}).encode())

            def answer(self, body):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize(
    "city, logged",
    [
        ("broken", "failed: HTTP 500: Internal Server Error"),
        ("garbled", "sent an unusable answer: JSONDecodeError"),
    ],
)
def test_a_failing_upstream_gives_a_502_page(start_example, city, logged):
    with FakeUpstream() as upstream:
        server = start_example(PROGRAM, f"--upstream={upstream.url}")
        status, _, text = fetch(server, f"/weather/{city}")
        assert status == 502
        assert text == "The forecast service is not answering properly. Please try again later.\n"
        wait_for_log(server, logged)
        # A working city still works: one failure does not break the server.
        assert fetch(server, "/weather/lhasa")[:2] == (200, "text/plain; charset=UTF-8")


def test_a_slow_upstream_gives_a_502_page_after_the_timeout(start_example):
    delay, timeout = 10.0, 0.2
    upstream = start_example("upstream.py", f"--delay={delay}")
    server = start_example(PROGRAM, f"--upstream={upstream.url}", f"--timeout={timeout}")
    started = time.monotonic()
    status, _, text = fetch(server, "/weather/beijing")
    elapsed = time.monotonic() - started
    assert status == 502
    assert text == "The forecast service is not answering properly. Please try again later.\n"
    wait_for_log(server, "failed: Timeout during request")
    # The visitor waited about `timeout`, not the upstream's `delay`.
    assert timeout <= elapsed < delay / 4


async def fetch_at_once(url, count):
    client = AsyncHTTPClient(force_instance=True, max_clients=count)
    try:
        return await asyncio.gather(*(client.fetch(url, raise_error=False) for _ in range(count)))
    finally:
        client.close()


def test_configure_sets_how_many_upstream_requests_run_at_once(start_example):
    # Twenty visitors at once; the server's client may run fifteen upstream
    # requests together (its default would be ten). The rest wait their turn.
    with FakeUpstream(expected=15) as upstream:
        server = start_example(PROGRAM, f"--upstream={upstream.url}", "--max_clients=15")
        responses = asyncio.run(fetch_at_once(server.url + "/weather/lhasa", 20))
    assert [r.code for r in responses] == [200] * 20
    assert upstream.max_in_flight == 15


def test_a_queued_request_waits_at_most_its_timeout_and_queue_time_is_not_counted(start_example):
    # One upstream request at a time; each takes 1 s; the timeout is 1.5 s.
    upstream = start_example("upstream.py", "--delay=1.0")
    server = start_example(PROGRAM, f"--upstream={upstream.url}", "--max_clients=1", "--timeout=1.5")

    async def visitor():
        started = time.monotonic()
        response = await AsyncHTTPClient(force_instance=True).fetch(
            server.url + "/weather/beijing", raise_error=False, request_timeout=10
        )
        return response.code, time.monotonic() - started

    async def three_at_once():
        return await asyncio.gather(visitor(), visitor(), visitor())

    answers = sorted(asyncio.run(three_at_once()), key=lambda answer: answer[1])
    # The first is served at once. The second waits 1 s in the queue, then gets
    # its full 1.5 s: it succeeds after about 2 s, more than the timeout.
    assert [code for code, _ in answers] == [200, 502, 200]
    assert answers[2][1] > 1.5
    # The third would have started only after 2 s: its wait in the queue ended
    # at the deadline, min(connect_timeout, request_timeout) = 1.5 s.
    assert 1.4 < answers[1][1] < 1.9
    wait_for_log(server, "failed: Timeout in request queue")


def test_the_default_timeouts_are_20_seconds():
    request = HTTPRequest("http://127.0.0.1/")
    defaults = HTTPRequest._DEFAULTS
    assert request.connect_timeout is None and request.request_timeout is None  # filled in from the defaults
    assert (defaults["connect_timeout"], defaults["request_timeout"]) == (20.0, 20.0)


def test_the_simple_client_has_no_proxy_and_no_digest_authentication(start_example):
    upstream = start_example("upstream.py")

    async def attempt(**settings):
        client = AsyncHTTPClient(force_instance=True)
        try:
            await client.fetch(upstream.url + "/forecast/beijing", **settings)
        except Exception as error:  # noqa: BLE001 - the type is what the test checks
            return type(error).__name__, str(error)
        finally:
            client.close()

    assert asyncio.run(attempt(proxy_host="127.0.0.1", proxy_port=3128)) == (
        "NotImplementedError",
        "proxy_host not supported",
    )
    assert asyncio.run(attempt(auth_username="ada", auth_password="x", auth_mode="digest")) == (
        "ValueError",
        "unsupported auth_mode digest",
    )


def test_the_blocking_client_refuses_to_run_inside_a_running_event_loop():
    from tornado.httpclient import HTTPClient

    async def inside_a_loop():
        with pytest.raises(RuntimeError, match="another loop is running"):
            HTTPClient()

    asyncio.run(inside_a_loop())
