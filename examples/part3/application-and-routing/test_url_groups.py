import json
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
import tornado.web


def get(url):
    try:
        with urlopen(url) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, None


def test_groups_reach_the_method_as_arguments(start_example, replay):
    server = start_example("url_groups.py")
    # An unnamed group arrives as a positional argument, percent-decoded.
    assert get(server.url + "/hello/Ada") == (200, "Hello, Ada!\n")
    assert get(server.url + "/hello/%E4%BD%A0%E5%A5%BD") == (200, "Hello, 你好!\n")
    # Named groups arrive as keyword arguments, as strings the handler converts.
    status, body = get(server.url + "/archive/2024/05")
    assert status == 200 and json.loads(body) == {"year": 2024, "month": 5}
    replay("url_groups.console", server)


def test_paths_the_patterns_refuse(start_example):
    server = start_example("url_groups.py")
    assert get(server.url + "/hello/")[0] == 404  # the group needs at least one character
    assert get(server.url + "/hello/a/b")[0] == 404  # [^/] stops at a slash; the whole path must match
    assert get(server.url + "/archive/2024/13")[0] == 404  # no thirteenth month
    assert get(server.url + "/archive/24/05")[0] == 404
    assert get(server.url + "/hello/%FF")[0] == 400  # not UTF-8: refused before the handler runs


def test_a_pattern_cannot_mix_named_and_unnamed_groups():
    with pytest.raises(AssertionError, match="all named or all positional"):
        tornado.web.Application([(r"/(?P<year>[0-9]{4})/([0-9]{2})", tornado.web.RequestHandler)])
