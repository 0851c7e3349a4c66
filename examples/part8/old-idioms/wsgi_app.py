import asyncio
import concurrent.futures
import threading

from tornado.httpserver import HTTPServer
from tornado.options import define, options, parse_command_line
from tornado.wsgi import WSGIContainer

define("port", default=8888, type=int, help="port to listen on")


def hello_wsgi(environ, start_response):
    # A plain WSGI application: no Tornado in it.
    body = f"Hello from WSGI, path {environ['PATH_INFO']}, thread {threading.current_thread().name}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


async def main():
    parse_command_line()
    # The WSGI code blocks, so it runs in worker threads, not on the event loop.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="wsgi")
    server = HTTPServer(WSGIContainer(hello_wsgi, executor=executor), max_body_size=64 * 1024)
    server.listen(options.port, address="127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
