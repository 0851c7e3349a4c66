import asyncio
import re
import time

from tornado.httpclient import AsyncHTTPClient

WORK = 0.3  # seconds each report blocks its thread


async def wait_for_log(server, pattern, count=1, timeout=3.0):
    deadline = time.monotonic() + timeout
    while len(re.findall(pattern, server.output())) < count:
        assert time.monotonic() < deadline, f"{pattern!r} not {count} times in:\n{server.output()}"
        await asyncio.sleep(0.005)


async def ping_during_report(server):
    client = AsyncHTTPClient(force_instance=True)
    try:
        started = time.monotonic()
        report = asyncio.ensure_future(client.fetch(server.url + "/report"))
        # The blocking job is running once it has logged its first line.
        await wait_for_log(server, r"building a report in thread report_0")
        ping = await client.fetch(server.url + "/ping")
        report = await report
        return report.body, time.monotonic() - started, ping.body
    finally:
        client.close()


async def reports_at_once(server, count):
    client = AsyncHTTPClient(force_instance=True)
    try:
        responses = await asyncio.gather(*(client.fetch(server.url + "/report") for _ in range(count)))
        return [response.body.decode() for response in responses]
    finally:
        client.close()


def test_the_server_answers_while_a_blocking_job_runs(start_example, replay):
    server = start_example("thread_pool.py", f"--work={WORK}")
    report, report_time, ping = asyncio.run(ping_during_report(server))
    assert report == b"Report built in thread report_0\n"
    assert ping == b"pong from MainThread\n"
    # /ping was answered while the report was still being built: the access
    # log lists requests in the order they were answered.
    asyncio.run(wait_for_log(server, r"200 GET /ping "))
    asyncio.run(wait_for_log(server, r"200 GET /report "))
    assert re.findall(r"200 GET (/\w+) ", server.output()) == ["/ping", "/report"]
    assert report_time >= WORK
    replay("thread_pool.console", server)


def test_the_pool_never_uses_more_than_four_threads(start_example):
    server = start_example("thread_pool.py", "--work=0.2")
    bodies = asyncio.run(reports_at_once(server, 6))
    threads = {re.fullmatch(r"Report built in thread (\S+)\n", body).group(1) for body in bodies}
    # Six reports at once: several threads worked, never more than four.
    assert 1 < len(threads) <= 4
    assert threads <= {"report_0", "report_1", "report_2", "report_3"}
