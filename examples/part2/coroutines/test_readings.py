import asyncio

from tornado.httpclient import AsyncHTTPClient

INTERVAL = 0.1


def test_readings_are_made_in_the_thread_and_stored_on_the_loop(start_example):
    server = start_example("readings.py", f"--interval={INTERVAL}")
    reading = server.get_json("/next")
    assert reading["read_in"] == "sensor"
    assert reading["stored_in"] == "MainThread"  # add_callback ran it on the loop's thread
    later = server.get_json("/next")
    assert later["number"] > reading["number"]
    latest = server.get_json("/latest")["readings"]
    assert {(r["read_in"], r["stored_in"]) for r in latest} == {("sensor", "MainThread")}
    assert [r["number"] for r in latest] == list(range(1, len(latest) + 1))


def test_transcript(start_example, replay):
    # The first reading comes one interval after the start: /next waits for it.
    server = start_example("readings.py", "--interval=1")
    replay("readings.console", server)


async def wait_together(url, count):
    client = AsyncHTTPClient(force_instance=True)
    try:
        responses = await asyncio.gather(*(client.fetch(url + "/next") for _ in range(count)))
        return {response.body for response in responses}
    finally:
        client.close()


def test_one_reading_wakes_every_waiting_client(start_example):
    server = start_example("readings.py", "--interval=0.5")
    server.get_json("/next")  # just after a reading: the next one is 0.5 s away
    bodies = asyncio.run(wait_together(server.url, 5))
    assert len(bodies) == 1  # all five got the same reading


def test_ioloop_current_in_another_thread_is_another_loop():
    import threading

    from tornado.ioloop import IOLoop

    async def compare():
        main_loop = IOLoop.current()
        seen = {}

        def in_thread():
            seen["loop"] = IOLoop.current()

        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
        return main_loop, seen

    main_loop, seen = asyncio.run(compare())
    assert seen["loop"] is not main_loop
    assert not seen["loop"].asyncio_loop.is_running()  # nobody runs it
    seen["loop"].close()
