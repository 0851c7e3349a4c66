import asyncio
import threading
import time

from tornado.httpclient import AsyncHTTPClient


def test_the_result_comes_back_through_add_callback(start_example):
    server = start_example("thread_callback.py")
    assert server.get("/lookup?name=grace").text == "record of grace\n"


def test_requests_wait_side_by_side(start_example):
    server = start_example("thread_callback.py")

    async def three():
        client = AsyncHTTPClient()
        started = time.monotonic()
        await asyncio.gather(*(client.fetch(f"{server.url}/lookup?name=n{i}") for i in range(3)))
        return time.monotonic() - started

    assert asyncio.run(three()) < 0.5  # three lookups of 0.2 s each, in parallel


def test_asyncio_debug_mode_catches_set_result_from_another_thread():
    """The mistake that add_callback avoids: setting the Future on the library's thread."""

    async def wrong():
        future = asyncio.get_running_loop().create_future()
        errors = []

        def in_thread():
            try:
                future.set_result("too early")
            except RuntimeError as error:
                errors.append(error)

        waiter = asyncio.ensure_future(asyncio.wait_for(future, 1))
        await asyncio.sleep(0)  # the waiter now has a callback on the future
        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
        waiter.cancel()
        return errors

    [error] = asyncio.run(wrong(), debug=True)
    assert "Non-thread-safe operation" in str(error)
