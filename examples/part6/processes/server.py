import asyncio
import logging
import os
import resource
import signal

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("reuse_port", default=False, type=bool, help="share the port with other processes (Linux)")


class PidHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"pid": os.getpid(), "port": options.port})


def make_app():
    return tornado.web.Application([(r"/", PidHandler)])


async def main():
    parse_command_line()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    logging.info("open-file limit: %d (hard limit %d)", soft, hard)

    server = make_app().listen(options.port, reuse_port=options.reuse_port)
    logging.info("process %d listening on port %d", os.getpid(), options.port)

    # Wait for SIGTERM (sent by supervisord, systemd, docker stop)
    # or SIGINT (Ctrl+C in a terminal), then stop in order.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()

    logging.info("shutting down")
    server.stop()  # no new connections
    await server.close_all_connections()  # end the open ones
    logging.info("stopped")


if __name__ == "__main__":
    asyncio.run(main())
