import asyncio
import socket
import time

import pytest
import tornado.escape
import tornado.locks
import tornado.options
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.testing import bind_unused_port

PROGRAM = "long_poll_chat.py"
# Long enough that a poll in these tests never ends by its timeout by accident.
LONG = "--poll-timeout=30"


def wait_for_waiters(server, count, timeout=3.0):
    """Poll /stats until the room counts `count` waiting requests."""
    deadline = time.monotonic() + timeout
    while (waiters := server.get_json("/stats")["waiters"]) != count:
        assert time.monotonic() < deadline, f"{waiters} waiters, expected {count}"
        time.sleep(0.01)


def post(server, text):
    response = server.post("/messages", form={"text": text})
    assert response.status == 200, (response.status, response.reason)
    return response.json()


def test_a_waiting_poll_receives_a_message_posted_by_another_client(start_example):
    server = start_example(PROGRAM, LONG)

    async def scenario():
        client = AsyncHTTPClient()
        # Two clients poll an empty room: both must wait.
        polls = [
            asyncio.ensure_future(client.fetch(server.url + "/updates?since=0", request_timeout=10)) for _ in range(2)
        ]
        await asyncio.to_thread(wait_for_waiters, server, 2)
        assert not any(poll.done() for poll in polls)
        # A third client posts; both waiting polls answer with its message.
        started = time.monotonic()
        sent = await asyncio.to_thread(post, server, "Hello")
        responses = await asyncio.gather(*polls)
        return sent, [tornado.escape.json_decode(r.body) for r in responses], time.monotonic() - started

    sent, answers, elapsed = asyncio.run(scenario())
    assert sent == {"id": 1, "text": "Hello"}
    assert answers == [{"messages": [sent]}] * 2
    assert elapsed < 5  # at once, not after the 30-second timeout
    assert server.get_json("/stats") == {"waiters": 0, "messages": 1}


def test_a_message_posted_in_the_loop_turn_after_the_check_is_not_missed(import_example):
    """The poll finds no message; the very next turn of the event loop posts one.

    The handler registers its waiter in the same step as the check, so the post
    wakes it and the poll answers at once instead of after its timeout.
    """
    chat = import_example(PROGRAM)

    class PostRightAfterTheCheck(chat.ChatRoom):
        scheduled = False

        def since(self, last_seen):
            found = super().since(last_seen)
            if not found and not self.scheduled:
                self.scheduled = True
                IOLoop.current().add_callback(self.post, "just in time")
            return found

    async def scenario():
        sock, port = bind_unused_port()
        server = HTTPServer(chat.make_app(PostRightAfterTheCheck(), poll_timeout=5))
        server.add_sockets([sock])
        try:
            started = time.monotonic()
            response = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/updates?since=0")
            return tornado.escape.json_decode(response.body), time.monotonic() - started
        finally:
            server.stop()

    answer, elapsed = asyncio.run(scenario())
    assert answer == {"messages": [{"id": 1, "text": "just in time"}]}
    assert elapsed < 1  # the poll timeout is 5 seconds


def test_a_wait_started_as_a_task_misses_a_notify_in_the_same_turn():
    """Why the handler calls Condition.wait() itself instead of wrapping it in a task."""

    async def scenario():
        news = tornado.locks.Condition()

        async def wait_in_a_task():
            return await news.wait(timeout=0.3)

        task = asyncio.ensure_future(wait_in_a_task())  # registers on a later turn
        news.notify_all()  # nobody is waiting yet
        in_a_task = await task
        future = news.wait(timeout=0.3)  # registered now
        news.notify_all()
        return in_a_task, await future

    # The task's wait timed out (False); the direct wait was woken (True).
    assert asyncio.run(scenario()) == (False, True)


def test_a_client_that_is_behind_gets_every_missed_message_at_once(start_example):
    server = start_example(PROGRAM, LONG)
    first, second = post(server, "one"), post(server, "two")
    assert server.get_json("/updates?since=0") == {"messages": [first, second]}
    assert server.get_json("/updates?since=1") == {"messages": [second]}


def test_an_id_from_before_a_restart_gets_the_new_messages(start_example):
    server = start_example(PROGRAM, LONG)
    first = post(server, "after the restart")
    # A client that saw message 500 before the server restarted.
    assert server.get_json("/updates?since=500") == {"messages": [first]}


def test_a_poll_with_no_news_ends_empty_after_the_timeout(start_example, replay):
    server = start_example(PROGRAM, "--poll-timeout=0.1")
    started = time.monotonic()
    assert server.get_json("/updates?since=0") == {"messages": []}
    assert time.monotonic() - started >= 0.1
    assert server.get_json("/stats")["waiters"] == 0
    replay("long_poll_chat.console", server)


def test_a_disconnected_waiter_is_cleaned_up(start_example):
    server = start_example(PROGRAM, LONG)
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        raw.sendall(b"GET /updates?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        wait_for_waiters(server, 1)
    # The socket is closed: on_connection_close cancels the wait long before
    # the 30-second timeout would have ended it.
    wait_for_waiters(server, 0)
    # The room still works, and nobody was left waiting for the message.
    assert post(server, "still here")["id"] == 1
    assert server.get_json("/stats") == {"waiters": 0, "messages": 1}


def test_the_room_keeps_the_last_100_messages(start_example):
    server = start_example(PROGRAM, LONG)
    for number in range(1, 106):
        post(server, f"message {number}")
    messages = server.get_json("/updates?since=0")["messages"]
    assert [m["id"] for m in messages] == list(range(6, 106))
    assert server.get_json("/stats")["messages"] == 100


def test_a_message_is_limited_in_size(start_example, announce_body):
    server = start_example(PROGRAM, LONG)
    assert post(server, "字" * 1000)["id"] == 1  # 1000 characters, 9,000 bytes encoded
    too_long = server.post("/messages", form={"text": "x" * 1001})
    assert (too_long.status, too_long.json()) == (400, {"error": "a message has at most 1000 characters"})
    # A body over max_body_size is refused as soon as its length is announced,
    # before a byte of it is read.
    form = "application/x-www-form-urlencoded"
    assert announce_body(server, "POST", "/messages", 100_000, form) == "HTTP/1.1 400 Bad Request"
    assert server.get_json("/stats")["messages"] == 1


def test_a_page_on_another_site_cannot_post(start_example):
    server = start_example(PROGRAM, LONG)
    for headers in [
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ]:
        assert server.post("/messages", form={"text": "spam"}, headers=headers).status == 403, headers
    # The room's own origin, and a client that is no browser (curl), may post.
    own = {"Origin": server.url}
    assert server.post("/messages", form={"text": "hi"}, headers=own).status == 200
    assert server.post("/messages", form={"text": "hi"}).status == 200
    assert server.get_json("/stats")["messages"] == 2


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/updates?since=yesterday", None),  # not a message id
        ("GET", "/updates?since=" + "9" * 5000, None),  # 5,000 digits
        ("GET", "/updates?since=%D9%A3", None),  # an Arabic-Indic three: int() would take it
        ("GET", "/updates?since=-1", None),
        ("GET", "/updates?since=1%002", None),  # NUL: Tornado makes it a space
        ("POST", "/messages", "text=%20"),  # an empty message
        ("POST", "/messages", "text=%00"),  # NUL alone: Tornado turns it into a space
        ("POST", "/messages", "other=field"),  # no text at all
        ("POST", "/messages", "text=%FF"),  # not UTF-8
        ("PUT", "/messages", "text=hi"),  # a method the room does not offer
        ("DELETE", "/updates", None),
        ("POST", "/stats", ""),
    ],
)
def test_hostile_requests_get_4xx(start_example, method, path, body):
    server = start_example(PROGRAM, LONG)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    status = server.request(method, path, body=body, headers=headers).status
    assert 400 <= status < 500, (method, path, status)
    assert server.get_json("/stats") == {"waiters": 0, "messages": 0}
