import asyncio
import time

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


def test_transcript(start_example, replay):
    # The page shows one curl call; a short delay keeps this test quick.
    server = start_example("slow_server.py", "--delay=0.05")
    replay("slow_server.console", server)
