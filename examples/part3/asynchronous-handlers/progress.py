"""A report sent line by line while it is being made, which stops when the client leaves."""

import asyncio

import tornado.web
from tornado.iostream import StreamClosedError
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("steps", default=5, type=int, help="number of steps in a report")
define("interval", default=0.5, type=float, help="seconds each step takes")


class ProgressHandler(tornado.web.RequestHandler):
    client_gone = False

    def on_connection_close(self):
        # Called when the client closes the connection before the response ends.
        self.client_gone = True

    async def get(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        for step in range(1, options.steps + 1):
            await asyncio.sleep(options.interval)  # the work of one step
            if self.client_gone:  # no one is left to read the rest
                self.stop(done=step - 1)
                return
            self.write(f"step {step} of {options.steps} done\n")
            try:
                await self.flush()  # send what is written so far, now
            except StreamClosedError:  # the client left while we were writing
                self.stop(done=step - 1)
                return
        self.write("report complete\n")

    def stop(self, done):
        app_log.info("client left after %d of %d steps; stopping", done, options.steps)


def make_app():
    return tornado.web.Application([(r"/progress", ProgressHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
