from urllib.error import HTTPError
from urllib.request import urlopen

import pytest


def test_write_error_makes_the_error_page(start_example):
    server = start_example("error_page.py")
    with urlopen(server.url + "/items/1") as response:
        assert response.read() == b"Item 1: teapot\n"
    with pytest.raises(HTTPError) as error:
        urlopen(server.url + "/items/99")
    assert error.value.code == 404
    assert error.value.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert error.value.read() == b"Sorry: 404 Not Found\n"
    # write_error also answers errors that Tornado raises itself: 405 here.
    with pytest.raises(HTTPError) as error:
        urlopen(server.url + "/items/1", data=b"")
    assert error.value.code == 405
    assert error.value.read() == b"Sorry: 405 Method Not Allowed\n"
