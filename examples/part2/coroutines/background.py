import asyncio
import datetime

import tornado.web
from tornado.ioloop import PeriodicCallback
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("interval", default=1.0, type=float, help="seconds between two ticks")
define("send_time", default=2.0, type=float, help="seconds it takes to send a message")
define("mail_down", default=False, help="make every message fail, to see the error handling")

counters = {"ticks": 0, "sent": 0, "failed": 0}
# The event loop keeps only a weak reference to a task. This set keeps a
# strong one, so that a running task cannot be garbage-collected.
background_tasks = set()


def tick():
    counters["ticks"] += 1


async def send_message():
    # A background task has no client to report to: it logs its own errors.
    try:
        await asyncio.sleep(options.send_time)  # stands for a slow mail server
        if options.mail_down:
            raise ConnectionError("the mail server refused the connection")
    except Exception:
        counters["failed"] += 1
        app_log.exception("sending a message failed")
        return
    counters["sent"] += 1


class SendHandler(tornado.web.RequestHandler):
    def post(self):
        task = asyncio.create_task(send_message())
        background_tasks.add(task)
        task.add_done_callback(background_tasks.discard)
        self.set_status(202)  # Accepted: the work goes on after this answer
        self.write({"sent": counters["sent"], "running": len(background_tasks)})


class StatsHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({**counters, "running": len(background_tasks)})


def make_app():
    return tornado.web.Application(
        [
            (r"/send", SendHandler),
            (r"/stats", StatsHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    every = datetime.timedelta(seconds=options.interval)
    PeriodicCallback(tick, every).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
