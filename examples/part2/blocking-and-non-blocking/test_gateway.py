import asyncio
import re
import time

import pytest
import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

DELAY = 0.2  # seconds the upstream takes to answer
PING_DELAY = 0.3  # a longer one leaves /ping ample time to pass the non-blocking request
ANSWER = b"Hello from the slow upstream\n"


@pytest.fixture
def start_servers(start_example):
    def start(delay, *gateway_options):
        upstream = start_example("slow_upstream.py", f"--delay={delay}")
        gateway = start_example("gateway.py", f"--upstream={upstream.url}/", *gateway_options)
        return upstream, gateway

    return start


def upstream_events(upstream):
    """The upstream's log reduced to the order of arrivals and answers."""
    events = re.findall(r"request \d+ arrived|200 GET / ", upstream.output())
    return ["arrived" if "arrived" in event else "answered" for event in events]


async def at_once(url, count=2):
    client = AsyncHTTPClient(force_instance=True, max_clients=count)
    try:
        started = time.monotonic()
        responses = await asyncio.gather(*(client.fetch(url) for _ in range(count)))
        return [response.body for response in responses], time.monotonic() - started
    finally:
        client.close()


def test_two_clients_wait_twice_as_long_on_the_blocking_handler(start_servers):
    upstream, gateway = start_servers(DELAY)
    bodies, non_blocking = asyncio.run(at_once(gateway.url + "/non-blocking"))
    assert bodies == [b"non-blocking: " + ANSWER] * 2
    upstream.wait_for_output(r"200 GET / ", count=2)
    bodies, blocking = asyncio.run(at_once(gateway.url + "/blocking"))
    assert bodies == [b"blocking: " + ANSWER] * 2
    upstream.wait_for_output(r"200 GET / ", count=4)

    # Each client waited one delay; the blocking handler made the second one
    # wait for the first one too. Measured as a ratio: about 2.
    assert non_blocking >= DELAY and blocking >= 2 * DELAY
    assert blocking / non_blocking > 1.5
    # The upstream saw it happen: with the non-blocking handler both requests
    # arrived before the first answer; with the blocking one, the second
    # request was sent only after the first answer had come back.
    assert upstream_events(upstream) == [
        "arrived", "arrived", "answered", "answered",  # non-blocking
        "arrived", "answered", "arrived", "answered",  # blocking
    ]  # fmt: skip


async def ping_during(gateway, upstream, path, arrivals):
    """Ask for /ping while a request to `path` waits for the upstream."""
    client = AsyncHTTPClient(force_instance=True)
    try:
        slow = asyncio.ensure_future(client.fetch(gateway.url + path))
        # The gateway has called the upstream once the upstream logs the arrival.
        await upstream.wait_for_output_async(r"request \d+ arrived", count=arrivals)
        ping = await client.fetch(gateway.url + "/ping")
        assert ping.body == b"pong\n"
        await slow
    finally:
        client.close()


def test_a_blocking_handler_stalls_even_a_fast_page(start_servers, replay):
    upstream, gateway = start_servers(PING_DELAY)
    asyncio.run(ping_during(gateway, upstream, "/non-blocking", 1))
    asyncio.run(ping_during(gateway, upstream, "/blocking", 2))
    gateway.wait_for_output(r"200 GET /ping ", count=2)
    gateway.wait_for_output(r"200 GET /blocking ")

    # The access log lists requests in the order they were answered. While the
    # non-blocking handler waited, /ping was answered first; while the
    # blocking handler waited, /ping had to wait until it was done.
    assert re.findall(r"200 GET (/\S+) ", gateway.output()) == ["/ping", "/non-blocking", "/blocking", "/ping"]
    replay("gateway.console", gateway)


def test_the_client_runs_ten_requests_at_once_and_queues_the_rest(start_servers):
    upstream, gateway = start_servers(0.3)
    bodies, elapsed = asyncio.run(at_once(gateway.url + "/non-blocking", 12))
    assert bodies == [b"non-blocking: " + ANSWER] * 12
    upstream.wait_for_output(r"200 GET / ", count=12)
    # Ten arrived together; the last two only after answers had come back.
    assert upstream_events(upstream)[:11] == ["arrived"] * 10 + ["answered"]
    assert elapsed >= 2 * 0.3


def test_max_clients_raises_the_limit(start_servers):
    upstream, gateway = start_servers(0.3, "--max_clients=20")
    bodies, elapsed = asyncio.run(at_once(gateway.url + "/non-blocking", 12))
    upstream.wait_for_output(r"200 GET / ", count=12)
    assert upstream_events(upstream)[:12] == ["arrived"] * 12
    assert elapsed < 2 * 0.3


class Sleep(tornado.web.RequestHandler):
    async def get(self, seconds):
        await asyncio.sleep(float(seconds))
        self.write("done")


async def one_place_client(scenario):
    sock, port = bind_unused_port()  # a free port on 127.0.0.1
    server = HTTPServer(tornado.web.Application([(r"/([0-9.]+)", Sleep)]))
    server.add_sockets([sock])
    url = f"http://127.0.0.1:{port}/"
    client = AsyncHTTPClient(force_instance=True, max_clients=1)
    try:
        return await scenario(client, url)
    finally:
        client.close()
        server.stop()


def test_a_request_that_waits_too_long_in_the_queue_fails_with_599():
    async def scenario(client, url):
        first = asyncio.ensure_future(client.fetch(url + "0.5"))
        started = time.monotonic()
        with pytest.raises(HTTPClientError) as error:
            await client.fetch(url + "0", request_timeout=0.2)
        waited = time.monotonic() - started
        await first
        return error.value, waited

    error, waited = asyncio.run(one_place_client(scenario))
    assert (error.code, error.message) == (599, "Timeout in request queue")
    assert 0.2 <= waited < 0.5


def test_time_in_the_queue_does_not_count_against_request_timeout():
    async def scenario(client, url):
        first = asyncio.ensure_future(client.fetch(url + "0.3"))
        started = time.monotonic()
        # 0.3 s in the queue, then 0.2 s of its own: 0.5 s in all, with a
        # request_timeout of 0.4 s, and it succeeds.
        response = await client.fetch(url + "0.2", request_timeout=0.4, connect_timeout=0.4)
        await first
        return response.body, time.monotonic() - started

    body, elapsed = asyncio.run(one_place_client(scenario))
    assert body == b"done"
    assert elapsed >= 0.5


def test_asyncclient_is_one_object_per_event_loop():
    async def two_calls():
        return AsyncHTTPClient() is AsyncHTTPClient()

    assert asyncio.run(two_calls())


def test_futures_are_asyncio_futures_and_callbacks_are_gone():
    import tornado.concurrent

    assert tornado.concurrent.Future is asyncio.Future
    assert not hasattr(tornado.web, "asynchronous")
    with pytest.raises(TypeError):
        AsyncHTTPClient(force_instance=True).fetch("http://127.0.0.1/", callback=print)
