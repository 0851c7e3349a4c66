import asyncio
import logging
import os
import resource
import signal

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("reuse_port", default=False, type=bool, help="share the port with other processes (Linux)")
define("drain_timeout", default=10.0, type=float, help="seconds running requests get at shutdown")


class RunningRequests:
    """Counts the requests in progress, so that a shutdown can wait for them."""

    def __init__(self):
        self.count = 0
        self.none_left = asyncio.Event()
        self.none_left.set()

    def started(self):
        self.count += 1
        self.none_left.clear()

    def finished(self):
        self.count -= 1
        if self.count == 0:
            self.none_left.set()


class TrackedHandler(tornado.web.RequestHandler):
    """A base class: every request of a subclass is counted while it runs."""

    counted = False

    def prepare(self):
        self.settings["running"].started()
        self.counted = True

    def on_finish(self):
        if self.counted:
            self.settings["running"].finished()


class PidHandler(TrackedHandler):
    def get(self):
        self.write({"pid": os.getpid(), "port": options.port})


class WorkHandler(TrackedHandler):
    """Stands for a slow request, such as a long database query: /work?seconds=2."""

    async def get(self):
        try:
            seconds = float(self.get_argument("seconds", "1"))
        except ValueError:
            raise tornado.web.HTTPError(400, reason="seconds must be a number") from None
        if not 0 <= seconds <= 30:
            raise tornado.web.HTTPError(400, reason="seconds must be between 0 and 30")
        logging.info("work started (%.1f s)", seconds)
        await asyncio.sleep(seconds)
        self.write({"pid": os.getpid(), "slept": seconds})


def make_app():
    return tornado.web.Application(
        [(r"/", PidHandler), (r"/work", WorkHandler)],
        running=RunningRequests(),
    )


async def main():
    parse_command_line()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    logging.info("open-file limit: %d (hard limit %d)", soft, hard)

    app = make_app()
    server = app.listen(options.port, address="127.0.0.1", reuse_port=options.reuse_port, max_body_size=1024)
    logging.info("process %d listening on port %d", os.getpid(), options.port)

    # Wait for SIGTERM (sent by supervisord, systemd, docker stop)
    # or SIGINT (Ctrl+C in a terminal), then stop in order.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()

    logging.info("shutting down")
    server.stop()  # 1. close the listening socket: no new connections
    running = app.settings["running"]
    try:
        async with asyncio.timeout(options.drain_timeout):
            await running.none_left.wait()  # 2. let running requests finish
    except TimeoutError:
        logging.warning("%d requests still running after %s s", running.count, options.drain_timeout)
    await server.close_all_connections()  # 3. close what is left
    logging.info("stopped")


if __name__ == "__main__":
    asyncio.run(main())
