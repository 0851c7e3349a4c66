import json
import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest


def test_greets_by_name(start_example, replay):
    server = start_example("greeting.py")
    with urlopen(server.url + "/greet?name=Ada") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
        assert json.loads(response.read()) == {"greeting": "Hello, Ada!"}
    replay("greeting.console", server)


def test_missing_name_is_a_client_error(start_example):
    server = start_example("greeting.py")
    with pytest.raises(HTTPError) as error:
        urlopen(server.url + "/greet")
    assert error.value.code == 400
    # Only a real process shows what the program itself writes to its log.
    deadline = time.monotonic() + 2
    while "400 GET /greet (127.0.0.1)" not in server.output():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.01)
