import asyncio

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.options import define, options, parse_command_line
from tornado.process import fork_processes

define("port", default=8888, type=int, help="port to listen on")
define("processes", default=1, type=int, help="number of processes (0: one per CPU)")


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world\n")


def make_app():
    return tornado.web.Application([(r"/", MainHandler)])


async def serve(sockets):
    server = HTTPServer(make_app(), max_body_size=1024)
    server.add_sockets(sockets)
    await asyncio.Event().wait()


def main():
    parse_command_line()
    # Bind before forking, so that every child accepts on the same socket.
    sockets = bind_sockets(options.port, address="127.0.0.1")
    if options.processes != 1:
        fork_processes(options.processes)
    # Each process (the only one, or each child) starts its own event loop.
    asyncio.run(serve(sockets))


if __name__ == "__main__":
    main()
