import threading
import time
from urllib.request import urlopen


def wait_for_log(server, text):
    deadline = time.monotonic() + 5
    while text not in server.output():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.005)


def log_order(server):
    """Ping the server while the slow WSGI page runs; return the log events in order."""
    slow = threading.Thread(target=lambda: urlopen(server.url + "/slow", timeout=10).read())
    slow.start()
    wait_for_log(server, "slow request started")
    with urlopen(server.url + "/ping", timeout=10) as response:
        assert response.read() == b"pong\n"
    slow.join()
    wait_for_log(server, "GET /slow")
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
