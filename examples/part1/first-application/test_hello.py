import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest


def wait_for_log(server, text, timeout=2.0):
    deadline = time.monotonic() + timeout
    while text not in server.output():
        assert time.monotonic() < deadline, f"{text!r} not in the server's log"
        time.sleep(0.01)


def test_hello_world(start_example, replay):
    server = start_example("hello.py")
    with urlopen(server.url + "/") as response:
        assert response.status == 200
        assert response.read() == b"Hello, world\n"
    # The server logs each request: status, method, path, client address.
    wait_for_log(server, "200 GET / (127.0.0.1)")
    # The handler defines only get(), so any other method is refused.
    with pytest.raises(HTTPError) as error:
        urlopen(Request(server.url + "/", data=b"", method="POST"))
    assert error.value.code == 405
    replay("hello.console", server)
