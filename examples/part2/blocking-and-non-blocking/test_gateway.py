import asyncio
import re
import time

import pytest
from tornado.httpclient import AsyncHTTPClient

DELAY = 0.2  # seconds the upstream takes to answer
PING_DELAY = 0.3  # a longer one leaves /ping ample time to pass the non-blocking request
ANSWER = b"Hello from the slow upstream\n"


@pytest.fixture
def start_servers(start_example):
    def start(delay):
        upstream = start_example("slow_upstream.py", f"--delay={delay}")
        gateway = start_example("gateway.py", f"--upstream={upstream.url}/")
        return upstream, gateway

    return start


async def wait_for_log(server, pattern, count=1, timeout=3.0):
    """Wait until the server's log holds `count` lines that match `pattern`."""
    deadline = time.monotonic() + timeout
    while len(re.findall(pattern, server.output())) < count:
        assert time.monotonic() < deadline, f"{pattern!r} not {count} times in:\n{server.output()}"
        await asyncio.sleep(0.005)


def upstream_events(upstream):
    """The upstream's log reduced to the order of arrivals and answers."""
    events = re.findall(r"request \d+ arrived|200 GET / ", upstream.output())
    return ["arrived" if "arrived" in event else "answered" for event in events]


async def two_at_once(url):
    client = AsyncHTTPClient(force_instance=True)
    try:
        started = time.monotonic()
        responses = await asyncio.gather(client.fetch(url), client.fetch(url))
        return [response.body for response in responses], time.monotonic() - started
    finally:
        client.close()


def test_two_clients_wait_twice_as_long_on_the_blocking_handler(start_servers):
    upstream, gateway = start_servers(DELAY)
    bodies, non_blocking = asyncio.run(two_at_once(gateway.url + "/non-blocking"))
    assert bodies == [b"non-blocking: " + ANSWER] * 2
    asyncio.run(wait_for_log(upstream, r"200 GET / ", 2))
    bodies, blocking = asyncio.run(two_at_once(gateway.url + "/blocking"))
    assert bodies == [b"blocking: " + ANSWER] * 2
    asyncio.run(wait_for_log(upstream, r"200 GET / ", 4))

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
        await wait_for_log(upstream, r"request \d+ arrived", arrivals)
        ping = await client.fetch(gateway.url + "/ping")
        assert ping.body == b"pong\n"
        await slow
    finally:
        client.close()


def gateway_log_order(gateway):
    return re.findall(r"200 GET (/\S+) ", gateway.output())


def test_a_blocking_handler_stalls_even_a_fast_page(start_servers, replay):
    upstream, gateway = start_servers(PING_DELAY)
    asyncio.run(ping_during(gateway, upstream, "/non-blocking", 1))
    asyncio.run(ping_during(gateway, upstream, "/blocking", 2))
    asyncio.run(wait_for_log(gateway, r"200 GET /ping ", 2))
    asyncio.run(wait_for_log(gateway, r"200 GET /blocking "))

    # The access log lists requests in the order they were answered. While the
    # non-blocking handler waited, /ping was answered first; while the
    # blocking handler waited, /ping had to wait until it was done.
    assert gateway_log_order(gateway) == ["/ping", "/non-blocking", "/blocking", "/ping"]
    replay("gateway.console", gateway)
