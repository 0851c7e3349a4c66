import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

UPSTREAM = "../blocking-and-non-blocking/slow_upstream.py"


def test_a_slow_upstream_gets_a_504(start_example, replay):
    upstream = start_example(UPSTREAM, "--delay=0.5")
    server = start_example("timeout.py", f"--upstream={upstream.url}/", "--timeout=0.05")
    started = time.monotonic()
    with pytest.raises(HTTPError) as error:
        urlopen(server.url + "/")
    elapsed = time.monotonic() - started
    assert error.value.code == 504
    assert error.value.read() == b"The upstream did not answer in time.\n"
    assert elapsed >= 0.05
    # The gateway answered before the upstream did, although the upstream
    # got the request.
    assert "200 GET / " not in upstream.output()
    deadline = time.monotonic() + 3
    while "request 1 arrived" not in upstream.output():
        assert time.monotonic() < deadline, upstream.output()
        time.sleep(0.01)
    replay("timeout.console", server)


def test_an_upstream_within_the_timeout_is_passed_on(start_example):
    upstream = start_example(UPSTREAM, "--delay=0.05")
    server = start_example("timeout.py", f"--upstream={upstream.url}/", "--timeout=2")
    with urlopen(server.url + "/") as response:
        assert response.status == 200
        assert response.read() == b"The upstream said: Hello from the slow upstream\n"
