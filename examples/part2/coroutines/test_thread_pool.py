import asyncio
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

WORK = 0.3  # seconds each report blocks its thread


async def ping_during_report(server):
    client = AsyncHTTPClient(force_instance=True)
    try:
        started = time.monotonic()
        report = asyncio.ensure_future(client.fetch(server.url + "/report"))
        # The blocking job is running once it has logged its first line.
        await server.wait_for_output_async(r"building a report in thread report_0")
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
    server.wait_for_output(r"200 GET /report ")
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


def test_the_default_executor_has_min_32_cpus_plus_4_threads():
    async def size():
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, time.sleep, 0)  # creates the default executor
        return loop._default_executor._max_workers

    assert asyncio.run(size()) == min(32, (os.cpu_count() or 1) + 4)


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("hello")


async def fetch_while_the_default_executor_is_busy(busy_seconds):
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=2))
    sock, port = bind_unused_port()  # a free port on 127.0.0.1
    server = HTTPServer(tornado.web.Application([(r"/", Hello)]))
    server.add_sockets([sock])
    url = f"http://127.0.0.1:{port}/"
    client = AsyncHTTPClient(force_instance=True)
    try:
        # Blocking jobs sent to the default executor take both of its threads...
        jobs = [loop.run_in_executor(None, time.sleep, busy_seconds) for _ in range(2)]
        started = time.monotonic()
        # ...and the client's address lookup (getaddrinfo) runs there too.
        await client.fetch(url)
        fetched = time.monotonic() - started
        await asyncio.gather(*jobs)
        return fetched
    finally:
        client.close()
        server.stop()


def test_a_full_default_executor_delays_the_http_client():
    assert asyncio.run(fetch_while_the_default_executor_is_busy(0.5)) >= 0.45
    assert asyncio.run(fetch_while_the_default_executor_is_busy(0)) < 0.45


def test_python_code_in_two_threads_does_not_run_in_parallel():
    import threading

    def compute():
        deadline = time.thread_time() + 0.3
        while time.thread_time() < deadline:
            sum(range(1000))

    threads = [threading.Thread(target=compute) for _ in range(2)]
    wall, cpu = time.monotonic(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    # With the GIL, the two threads take turns: the process never uses much
    # more than one core, so its CPU time stays close to the time that passed.
    assert cpu / wall < 1.3
