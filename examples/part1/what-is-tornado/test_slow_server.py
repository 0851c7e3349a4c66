import asyncio
import re
import socket
import threading
import time

import pytest
from tornado.httpclient import AsyncHTTPClient

DELAY = 0.2  # seconds each request waits on the server
CLIENTS = 100


async def fetch_at_once(url, count):
    # The simple client opens a new connection for every request, so this
    # holds `count` connections open at the same time.
    client = AsyncHTTPClient(force_instance=True, max_clients=count)
    try:
        started = time.monotonic()
        responses = await asyncio.gather(*(client.fetch(url) for _ in range(count)))
        return responses, time.monotonic() - started
    finally:
        client.close()


def test_one_thread_answers_many_waiting_connections(start_example):
    server = start_example("slow_server.py", f"--delay={DELAY}")
    responses, elapsed = asyncio.run(fetch_at_once(server.url + "/", CLIENTS))

    assert len(responses) == CLIENTS
    # Every answer names the thread that wrote it: always the same one.
    assert {response.body for response in responses} == {b"Answered by MainThread after waiting\n"}
    # Each request waited one delay, and they all waited at the same time.
    # Served one after another they would need CLIENTS (100) delays; opening
    # 100 connections on a busy machine costs some time, hence the margin of 10.
    assert elapsed >= DELAY
    assert elapsed / DELAY < 10


def test_only_this_computer_can_connect(start_example):
    server = start_example("slow_server.py", "--delay=0")
    assert server.get("/").status == 200
    # 127.0.0.2 is another address of the loopback interface: a server bound
    # to every interface would accept it, one bound to 127.0.0.1 does not.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", server.port), timeout=2).close()


def memory_kb(field):
    status = open("/proc/self/status").read()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1))


def test_an_idle_thread_reserves_megabytes_but_uses_kilobytes():
    stop = threading.Event()
    count = 200
    rss, reserved = memory_kb("VmRSS"), memory_kb("VmSize")
    threads = [threading.Thread(target=stop.wait) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        rss_per_thread = (memory_kb("VmRSS") - rss) / count
        reserved_per_thread = (memory_kb("VmSize") - reserved) / count
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    # The page: 8 MB of address space for the stack, about 16 KB really used. Other threads
    # of the test process may free a little address space meanwhile: allow for it.
    assert reserved_per_thread >= 7.5 * 1024
    assert rss_per_thread < 48


def test_transcript(start_example, replay):
    # The page shows one curl call; a short delay keeps this test quick.
    server = start_example("slow_server.py", "--delay=0.05")
    replay("slow_server.console", server)
