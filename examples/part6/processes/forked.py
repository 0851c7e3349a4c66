import asyncio
import logging
import os
import signal

import tornado.netutil
import tornado.process
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("processes", default=0, type=int, help="number of processes (0: one per CPU)")


class PidHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"pid": os.getpid(), "task_id": tornado.process.task_id()})


def make_app():
    return tornado.web.Application([(r"/", PidHandler)])


async def serve(sockets):
    server = HTTPServer(make_app(), max_body_size=1024)
    server.add_sockets(sockets)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    # The parent forwards the signal too: a second copy must not kill this child while it
    # finishes, or fork_processes would take the death for a crash and start a new child.
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(signum)
        signal.signal(signum, signal.SIG_IGN)
    server.stop()
    await server.close_all_connections()
    logging.info("child %s stopped", tornado.process.task_id())


def forward_to_children(signum, frame):
    # Runs in the parent, which waits for its children inside fork_processes.
    # It ignores further copies of the signal and sends it to its process
    # group: the children stop cleanly, and then fork_processes exits with 0.
    signal.signal(signum, signal.SIG_IGN)
    os.killpg(os.getpgrp(), signum)


def main():
    parse_command_line()
    # 1. Bind in the parent, before any event loop exists.
    sockets = tornado.netutil.bind_sockets(options.port, address="127.0.0.1")
    # 2. The parent passes SIGTERM and SIGINT on to its children.
    signal.signal(signal.SIGTERM, forward_to_children)
    signal.signal(signal.SIGINT, forward_to_children)
    # 3. Fork: from here on, this code runs in each child.
    tornado.process.fork_processes(options.processes)
    # 4. Each child starts its own event loop, which handles the signals.
    asyncio.run(serve(sockets))


if __name__ == "__main__":
    main()
