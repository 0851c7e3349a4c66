import asyncio
import datetime
import socket
import time

import pytest
import tornado.web
from tornado import gen
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.simple_httpclient import HTTPTimeoutError
from tornado.testing import bind_unused_port

UPSTREAM = "../blocking-and-non-blocking/slow_upstream.py"


def test_a_slow_upstream_gets_a_504(start_example, replay):
    upstream = start_example(UPSTREAM, "--delay=0.5")
    server = start_example("timeout.py", f"--upstream={upstream.url}/", "--timeout=0.1")
    started = time.monotonic()
    response = server.get("/")
    elapsed = time.monotonic() - started
    assert response.status == 504
    assert response.body == b"The upstream did not answer in time.\n"
    # The gateway answered after its timeout, before the upstream's delay was over.
    assert 0.1 <= elapsed < 0.5
    upstream.wait_for_output(r"request 1 arrived")
    replay("timeout.console", server)


def test_an_upstream_within_the_timeout_is_passed_on(start_example):
    upstream = start_example(UPSTREAM, "--delay=0.05")
    server = start_example("timeout.py", f"--upstream={upstream.url}/", "--timeout=2")
    response = server.get("/")
    assert response.status == 200
    assert response.body == b"The upstream said: Hello from the slow upstream\n"
    twice = server.get("/twice")
    assert twice.status == 200
    assert twice.text == "First: Hello from the slow upstream\nSecond: Hello from the slow upstream\n"


def test_asyncio_timeout_limits_the_whole_block(start_example):
    # Each call takes 0.2 s and fits in the 0.3 s limit; the two together do not.
    upstream = start_example(UPSTREAM, "--delay=0.2")
    server = start_example("timeout.py", f"--upstream={upstream.url}/", "--timeout=0.3")
    assert server.get("/").status == 200
    started = time.monotonic()
    response = server.get("/twice")
    assert (response.status, response.text) == (504, "The upstream did not answer twice in time.\n")
    assert 0.3 <= time.monotonic() - started < 0.4 + 0.1


def test_an_upstream_that_refuses_gets_a_502(start_example):
    with socket.socket() as closed:  # bound but not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/"
        server = start_example("timeout.py", f"--upstream={url}")
        assert server.get("/").status == 502


# What the page says about cancelling a fetch, shown in one process: an
# upstream that answers after DELAY, and a client with one connection slot.
DELAY = 0.6


class Slow(tornado.web.RequestHandler):
    async def get(self):
        await asyncio.sleep(DELAY if self.get_argument("slow", "") else 0)
        self.write("done")


async def first_then_second(stop_first):
    """Start a slow fetch, stop it with stop_first, then time a fast fetch."""
    sock, port = bind_unused_port()  # a free port on 127.0.0.1
    server = HTTPServer(tornado.web.Application([(r"/", Slow)]))
    server.add_sockets([sock])
    url = f"http://127.0.0.1:{port}/"
    client = AsyncHTTPClient(force_instance=True, max_clients=1)
    try:
        started = time.monotonic()
        with pytest.raises((TimeoutError, HTTPTimeoutError)):
            await stop_first(client, url + "?slow=1")
        gave_up = time.monotonic() - started
        still_running = len(client.active)
        await client.fetch(url)  # needs the one slot
        return gave_up, still_running, time.monotonic() - started
    finally:
        client.close()
        server.stop()


def test_wait_for_stops_waiting_but_not_the_fetch():
    async def wait_for(client, url):
        await asyncio.wait_for(client.fetch(url), timeout=0.1)

    gave_up, still_running, second_done = asyncio.run(first_then_second(wait_for))
    assert gave_up < DELAY
    # The cancelled fetch kept its connection and its slot: the next fetch
    # could start only after the upstream had answered the first one.
    assert still_running == 1
    assert second_done >= DELAY


def test_request_timeout_ends_the_fetch_and_frees_its_slot():
    async def request_timeout(client, url):
        await client.fetch(url, request_timeout=0.1)

    gave_up, still_running, second_done = asyncio.run(first_then_second(request_timeout))
    assert gave_up < DELAY
    assert still_running == 0
    assert second_done < DELAY


def test_gen_with_timeout_neither_cancels_nor_takes_seconds_as_a_number():
    async def scenario():
        work = asyncio.ensure_future(asyncio.sleep(0.2, result="finished"))
        with pytest.raises(TimeoutError):
            await gen.with_timeout(datetime.timedelta(seconds=0.05), work)
        assert not work.cancelled()
        assert await work == "finished"  # it went on after the timeout
        # A number is a deadline on the loop's clock: 5 is long past.
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await gen.with_timeout(5, asyncio.sleep(1))
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 0.1


def test_without_request_timeout_a_fetch_gives_up_after_20_seconds():
    from tornado.httpclient import HTTPRequest

    assert HTTPRequest._DEFAULTS["request_timeout"] == 20.0
    assert HTTPRequest._DEFAULTS["connect_timeout"] == 20.0
