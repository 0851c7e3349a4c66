"""A thread reads a sensor with a blocking driver and hands each reading to the event loop."""

import asyncio
import datetime
import itertools
import threading
import time

import tornado.web
from tornado.ioloop import IOLoop
from tornado.locks import Condition
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("interval", default=1.0, type=float, help="seconds between two readings")


class Readings:
    """The latest readings. Only code on the event loop's thread touches them."""

    def __init__(self):
        self.values = []
        self.arrived = Condition()

    def add(self, reading):
        reading["stored_in"] = threading.current_thread().name
        self.values.append(reading)
        del self.values[:-100]  # keep the last 100
        self.arrived.notify_all()


def read_sensor(number):
    """A blocking driver: it waits for the device, then returns a value."""
    time.sleep(options.interval)
    return {"number": number, "read_in": threading.current_thread().name}


def sensor_loop(io_loop, readings):
    """Runs in its own thread, for as long as the program runs."""
    for number in itertools.count(1):
        reading = read_sensor(number)
        # Not readings.add(reading): the list and the Condition belong to the
        # event loop's thread. add_callback is safe to call from any thread;
        # it makes the loop call readings.add(reading) on its own thread.
        io_loop.add_callback(readings.add, reading)


class LatestHandler(tornado.web.RequestHandler):
    def initialize(self, readings):
        self.readings = readings

    def get(self):
        self.write({"readings": self.readings.values[-10:]})


class NextHandler(tornado.web.RequestHandler):
    def initialize(self, readings):
        self.readings = readings

    async def get(self):
        if not await self.readings.arrived.wait(timeout=datetime.timedelta(seconds=30)):
            raise tornado.web.HTTPError(504)
        self.write(self.readings.values[-1])


def make_app(readings):
    return tornado.web.Application(
        [
            (r"/latest", LatestHandler, {"readings": readings}),
            (r"/next", NextHandler, {"readings": readings}),
        ]
    )


async def main():
    parse_command_line()
    readings = Readings()
    app = make_app(readings)
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    sensor = threading.Thread(target=sensor_loop, args=(IOLoop.current(), readings), name="sensor", daemon=True)
    sensor.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
