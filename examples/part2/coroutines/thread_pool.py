import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.ioloop import IOLoop
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("work", default=2.0, type=float, help="seconds the blocking job takes")

# Four threads at most: a fifth report waits until a thread is free.
REPORT_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="report")


def build_report(seconds):
    """A blocking function: it stands for a library that has no async API."""
    thread = threading.current_thread().name
    app_log.info("building a report in thread %s", thread)
    time.sleep(seconds)
    return f"Report built in thread {thread}\n"


class ReportHandler(tornado.web.RequestHandler):
    async def get(self):
        loop = IOLoop.current()
        report = await loop.run_in_executor(REPORT_POOL, build_report, options.work)
        self.write(report)


class PingHandler(tornado.web.RequestHandler):
    def get(self):
        self.write(f"pong from {threading.current_thread().name}\n")


def make_app():
    return tornado.web.Application(
        [
            (r"/report", ReportHandler),
            (r"/ping", PingHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
