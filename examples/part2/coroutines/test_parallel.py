import asyncio
import json
import time

from tornado.httpclient import AsyncHTTPClient

DELAY = 0.2  # the services take 1, 2 and 3 times this (long enough that a loaded machine cannot blur the ratio)
SLOWEST = 3 * DELAY
ANSWERS = {"weather": "sunny", "news": "a quiet day", "traffic": "light"}


async def timed_fetch(url):
    client = AsyncHTTPClient(force_instance=True)
    try:
        started = time.monotonic()
        response = await client.fetch(url)
        return json.loads(response.body), time.monotonic() - started
    finally:
        client.close()


def test_parallel_calls_take_as_long_as_the_slowest(start_example, replay):
    server = start_example("parallel.py", f"--delay={DELAY}")
    answers, sequential = asyncio.run(timed_fetch(server.url + "/sequential"))
    assert answers == ANSWERS
    answers, gathered = asyncio.run(timed_fetch(server.url + "/gather"))
    assert answers == ANSWERS
    answers, multi = asyncio.run(timed_fetch(server.url + "/multi"))
    assert answers == ANSWERS

    # One after the other: 1 + 2 + 3 delays. Together: the slowest, 3 delays.
    assert sequential >= 6 * DELAY
    assert gathered >= SLOWEST and multi >= SLOWEST
    # Twice the slowest would be the sum of all three: far from it.
    assert gathered / SLOWEST < 2 and multi / SLOWEST < 2
    assert sequential / gathered > 1.5 and sequential / multi > 1.5
    replay("parallel.console", server)
