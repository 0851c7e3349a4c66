import asyncio
import os

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


async def serve(sockets):
    app = tornado.web.Application([(r"/", PidHandler)])
    server = HTTPServer(app)
    server.add_sockets(sockets)
    await asyncio.Event().wait()


def main():
    parse_command_line()
    # 1. Bind in the parent, before any event loop exists.
    sockets = tornado.netutil.bind_sockets(options.port)
    # 2. Fork: from here on, this code runs in each child.
    tornado.process.fork_processes(options.processes)
    # 3. Each child starts its own event loop.
    asyncio.run(serve(sockets))


if __name__ == "__main__":
    main()
