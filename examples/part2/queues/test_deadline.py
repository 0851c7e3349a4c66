import asyncio
import datetime
import time

import pytest
from tornado.ioloop import IOLoop
from tornado.queues import Queue


def test_a_number_is_a_deadline_and_a_timedelta_a_duration(run_example, replay):
    done = run_example("deadline.py")
    assert done.returncode == 0, done.stderr
    # Whole seconds: a busy machine fires a timer some milliseconds late, which tenths would show.
    waited = [int(line.split("gave up after ")[1].removesuffix(" s")) for line in done.stdout.splitlines()]
    assert waited[0] == 1  # timedelta(seconds=1): a second from now
    assert waited[1] == 1  # loop.time() + 1: the same moment, written as a time
    assert waited[2] == 0  # 1: a second after the loop clock's zero, long past
    replay("deadline.console")


def test_the_same_for_put_and_join_and_on_the_loop_clock():
    async def scenario():
        full = Queue(maxsize=1)
        full.put_nowait("item")
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await full.put("another", timeout=IOLoop.current().time() + 0.3)
        put_waited = time.monotonic() - started
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await full.join(timeout=datetime.timedelta(seconds=0.3))
        join_waited = time.monotonic() - started
        with pytest.raises(TimeoutError):
            await full.join(timeout=5)  # five seconds after the clock's zero
        return put_waited, join_waited

    put_waited, join_waited = asyncio.run(scenario())
    assert 0.3 <= put_waited < 0.45 and 0.3 <= join_waited < 0.45
    # IOLoop.time() counts seconds since 1970, like time.time().
    assert abs(asyncio.run(clock_difference())) < 0.05


async def clock_difference():
    return IOLoop.current().time() - time.time()


def test_locks_take_deadlines_too():
    from tornado.locks import Condition, Event

    async def scenario():
        started = time.monotonic()
        assert await Condition().wait(timeout=5) is False  # gave up: 5 is long past
        with pytest.raises(TimeoutError):
            await Event().wait(timeout=5)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 0.1
