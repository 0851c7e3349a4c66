import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

# A pool of its own for the slow calls: at most four run at the same time,
# and the event loop's default executor stays free for its own work.
REPORTS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="report")


def slow_report():
    # Stands for any blocking call: a synchronous database driver,
    # requests.get(), a long computation, reading a large file.
    time.sleep(0.2)
    return "report ready\n"


class BlockingHandler(tornado.web.RequestHandler):
    async def get(self):
        # Wrong: the whole event loop stops for 0.2 s. No other request runs.
        self.write(slow_report())


class ExecutorHandler(tornado.web.RequestHandler):
    async def get(self):
        # Right: the call runs in a thread of the pool; the event loop keeps serving.
        loop = asyncio.get_running_loop()
        self.write(await loop.run_in_executor(REPORTS, slow_report))


def make_app():
    return tornado.web.Application(
        [
            (r"/blocking", BlockingHandler),
            (r"/executor", ExecutorHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
