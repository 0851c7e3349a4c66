import asyncio
import os

import tornado.httpserver
import tornado.netutil
import tornado.process
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("processes", default=2, type=int, help="number of child processes (0: one per CPU)")


class PidHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"pid": os.getpid(), "parent": os.getppid()})


def make_app():
    return tornado.web.Application([(r"/", PidHandler)])


async def serve(sockets):
    server = tornado.httpserver.HTTPServer(make_app(), max_body_size=1024)
    server.add_sockets(sockets)
    await asyncio.Event().wait()


def main():
    parse_command_line()
    sockets = tornado.netutil.bind_sockets(options.port, address="127.0.0.1")  # before the fork, no event loop yet
    tornado.process.fork_processes(options.processes)  # returns in each child
    asyncio.run(serve(sockets))  # one event loop per child


if __name__ == "__main__":
    main()
