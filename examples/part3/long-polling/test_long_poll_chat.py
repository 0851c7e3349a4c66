import asyncio
import json
import socket
import time
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from tornado.httpclient import AsyncHTTPClient

PROGRAM = "long_poll_chat.py"
# Long enough that a poll in these tests never ends by its timeout by accident.
LONG = "--poll-timeout=30"


def get_json(url):
    with urlopen(url) as response:
        return json.loads(response.read())


def post(url, text):
    with urlopen(url + "/messages", data=urlencode({"text": text}).encode()) as response:
        return json.loads(response.read())


def wait_for_waiters(url, count, timeout=3.0):
    """Poll /stats until the room counts `count` waiting requests."""
    deadline = time.monotonic() + timeout
    while (waiters := get_json(url + "/stats")["waiters"]) != count:
        assert time.monotonic() < deadline, f"{waiters} waiters, expected {count}"
        time.sleep(0.01)


def test_a_waiting_poll_receives_a_message_posted_by_another_client(start_example):
    server = start_example(PROGRAM, LONG)

    async def scenario():
        client = AsyncHTTPClient()
        # Two clients poll an empty room: both must wait.
        polls = [
            asyncio.ensure_future(client.fetch(server.url + "/updates?since=0", request_timeout=10))
            for _ in range(2)
        ]
        await asyncio.to_thread(wait_for_waiters, server.url, 2)
        assert not any(poll.done() for poll in polls)
        # A third client posts; both waiting polls answer with its message.
        sent = await asyncio.to_thread(post, server.url, "Hello")
        responses = await asyncio.gather(*polls)
        return sent, [json.loads(r.body) for r in responses]

    sent, answers = asyncio.run(scenario())
    assert sent == {"id": 1, "text": "Hello"}
    assert answers == [{"messages": [sent]}] * 2
    assert get_json(server.url + "/stats") == {"waiters": 0, "messages": 1}


def test_a_client_that_is_behind_gets_every_missed_message_at_once(start_example):
    server = start_example(PROGRAM, LONG)
    first, second = post(server.url, "one"), post(server.url, "two")
    assert get_json(server.url + "/updates?since=0") == {"messages": [first, second]}
    assert get_json(server.url + "/updates?since=1") == {"messages": [second]}


def test_a_poll_with_no_news_ends_empty_after_the_timeout(start_example, replay):
    server = start_example(PROGRAM, "--poll-timeout=0.1")
    started = time.monotonic()
    assert get_json(server.url + "/updates?since=0") == {"messages": []}
    assert time.monotonic() - started >= 0.1
    replay("long_poll_chat.console", server)


def test_a_disconnected_waiter_is_cleaned_up(start_example):
    server = start_example(PROGRAM, LONG)
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        raw.sendall(b"GET /updates?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        wait_for_waiters(server.url, 1)
    # The socket is closed: on_connection_close cancels the wait long before
    # the 30-second timeout would have ended it.
    wait_for_waiters(server.url, 0)
    # The room still works, and nobody was left waiting for the message.
    assert post(server.url, "still here")["id"] == 1
    assert get_json(server.url + "/stats") == {"waiters": 0, "messages": 1}


def test_bad_requests_get_400(start_example):
    server = start_example(PROGRAM)
    for path, data in [
        ("/updates?since=yesterday", None),  # not a message id
        ("/messages", b"text=%20"),  # an empty message
        ("/messages", b"other=field"),  # no text at all
    ]:
        with pytest.raises(HTTPError) as caught:
            urlopen(server.url + path, data=data)
        assert caught.value.code == 400, path
