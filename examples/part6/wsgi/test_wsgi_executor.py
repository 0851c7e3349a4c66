import threading


def log_order(server):
    """Ping the server while the slow WSGI page runs; return the log events in order."""
    slow = threading.Thread(target=lambda: server.get("/slow", timeout=10))
    slow.start()
    server.wait_for_output("slow request started")
    assert server.get("/ping").text == "pong\n"
    slow.join()
    server.wait_for_output("GET /slow")
    events = {"ping answered": "200 GET /ping", "slow app finished": "slow request finished"}
    output = server.output()
    return sorted(events, key=lambda name: output.index(events[name]))


def test_without_executor_the_wsgi_app_blocks_the_event_loop(start_example):
    server = start_example("wsgi_executor.py", "--threads=0", "--delay=0.2")
    # The slow page holds the event loop: the ping waits until it ends.
    assert log_order(server) == ["slow app finished", "ping answered"]


def test_with_executor_tornado_handlers_stay_responsive(start_example):
    server = start_example("wsgi_executor.py", "--threads=4", "--delay=0.5")
    # The slow page sleeps in a worker thread: the ping is answered meanwhile.
    assert log_order(server) == ["ping answered", "slow app finished"]
