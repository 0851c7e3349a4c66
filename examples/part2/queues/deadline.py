"""The timeout of tornado.queues.Queue.get: a deadline, not a number of seconds."""

import asyncio
import datetime

from tornado.ioloop import IOLoop
from tornado.queues import Queue


async def wait_for_an_item(label, timeout):
    queue = Queue()  # stays empty: every get() runs out of time
    loop = IOLoop.current()
    started = loop.time()
    try:
        await queue.get(timeout=timeout)
    except TimeoutError:
        print(f"{label:<33} gave up after {loop.time() - started:.0f} s")


async def main():
    loop = IOLoop.current()
    await wait_for_an_item("timeout=timedelta(seconds=1)", datetime.timedelta(seconds=1))
    await wait_for_an_item("timeout=loop.time() + 1", loop.time() + 1)
    await wait_for_an_item("timeout=1", 1)  # one second after the clock's zero: long past


if __name__ == "__main__":
    asyncio.run(main())
