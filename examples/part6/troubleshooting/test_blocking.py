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


def test_debug_mode_reports_the_blocking_call(start_example):
    server = start_example("blocking.py", env={"PYTHONASYNCIODEBUG": "1"})
    asyncio.run(fetch_together(server.url + "/blocking", 1))
    assert float(server.wait_for_output(WARNING.pattern)[1]) >= 0.2
    # The same call in an executor does not hold the event loop: no new warning.
    asyncio.run(fetch_together(server.url + "/executor", 1))
    server.wait_for_output("200 GET /executor")
    assert len(WARNING.findall(server.output())) == 1


def test_blocking_calls_run_one_after_another(start_example):
    server = start_example("blocking.py")
    blocking = asyncio.run(fetch_together(server.url + "/blocking", 3))
    in_threads = asyncio.run(fetch_together(server.url + "/executor", 3))
    # Three blocking calls take at least 3 x 0.2 s; in threads they overlap.
    assert blocking >= 0.6
    assert in_threads < 0.6 * blocking
