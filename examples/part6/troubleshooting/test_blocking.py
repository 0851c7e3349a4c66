import asyncio
import re
import time

from tornado.httpclient import AsyncHTTPClient

WARNING = re.compile(r"Executing <Task .*RequestHandler\._execute\(\).* took (\d+\.\d+) seconds")


async def fetch_together(url, count):
    """Send `count` requests at the same time; return the seconds until all are answered."""
    client = AsyncHTTPClient()
    started = time.monotonic()
    responses = await asyncio.gather(*(client.fetch(url) for _ in range(count)))
    assert all(r.body == b"report ready\n" for r in responses)
    return time.monotonic() - started


def wait_for(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_debug_mode_reports_the_blocking_call(start_example, monkeypatch):
    monkeypatch.setenv("PYTHONASYNCIODEBUG", "1")
    server = start_example("blocking.py")
    asyncio.run(fetch_together(server.url + "/blocking", 1))
    wait_for(lambda: WARNING.search(server.output()))
    assert float(WARNING.search(server.output())[1]) >= 0.2
    # The same call in an executor does not hold the event loop: no new warning.
    asyncio.run(fetch_together(server.url + "/executor", 1))
    wait_for(lambda: "200 GET /executor" in server.output())
    assert len(WARNING.findall(server.output())) == 1


def test_blocking_calls_run_one_after_another(start_example):
    server = start_example("blocking.py")
    blocking = asyncio.run(fetch_together(server.url + "/blocking", 3))
    in_threads = asyncio.run(fetch_together(server.url + "/executor", 3))
    # Three blocking calls take at least 3 x 0.2 s; in threads they overlap.
    assert blocking >= 0.6
    assert in_threads < 0.6 * blocking
