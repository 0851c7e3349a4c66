import json
import time
from urllib.request import Request, urlopen

INTERVAL = 0.05  # seconds between ticks
SEND_TIME = 0.2  # seconds a message takes to send


def get_json(url, data=None):
    method = "POST" if data is not None else "GET"
    with urlopen(Request(url, data=data, method=method)) as response:
        return response.status, json.loads(response.read())


def poll(url, done, timeout=3.0):
    """Read url until done(answer) is true; fail after the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        status, answer = get_json(url)
        if done(answer):
            return answer
        assert time.monotonic() < deadline, f"still {answer} after {timeout} s"
        time.sleep(0.01)


def test_the_periodic_callback_ticks(start_example):
    server = start_example("background.py", f"--interval={INTERVAL}")
    first = get_json(server.url + "/stats")[1]["ticks"]
    # The counter grows on its own, with no request asking for it.
    poll(server.url + "/stats", lambda answer: answer["ticks"] >= first + 3)


def test_the_answer_comes_before_the_background_task_ends(start_example, replay):
    server = start_example("background.py", f"--send_time={SEND_TIME}")
    # The page's transcript, on a fresh server: nothing sent yet, one task running.
    replay("background.console", server)
    # The message gets sent, and once the task has ended, its done callback
    # drops it from the set (just after the task's last line has run).
    poll(server.url + "/stats", lambda answer: answer["sent"] == 1 and answer["running"] == 0)

    status, answer = get_json(server.url + "/send", data=b"")
    assert status == 202
    # The answer left before the new task had sent its message.
    assert answer == {"sent": 1, "running": 1}
    poll(server.url + "/stats", lambda answer: answer["sent"] == 2 and answer["running"] == 0)
