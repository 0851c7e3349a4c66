import subprocess
import sys

import pytest
import tornado.web


def test_groups_reach_the_method_as_arguments(start_example, replay):
    server = start_example("url_groups.py")
    # An unnamed group arrives as a positional argument, percent-decoded.
    assert server.get("/hello/Ada").text == "Hello, Ada!\n"
    assert server.get("/hello/%E4%BD%A0%E5%A5%BD").text == "Hello, 你好!\n"
    # Named groups arrive as keyword arguments, as strings the handler converts.
    assert server.get_json("/archive/2024/05") == {"year": 2024, "month": 5}
    replay("url_groups.console", server)


def test_paths_the_patterns_refuse(start_example):
    server = start_example("url_groups.py")
    assert server.get("/hello/").status == 404  # the group needs at least one character
    assert server.get("/hello/a/b").status == 404  # [^/] stops at a slash; the whole path must match
    assert server.get("/archive/2024/13").status == 404  # no thirteenth month
    assert server.get("/archive/24/05").status == 404
    assert server.get("/archive/%D9%A3%D9%A3%D9%A3%D9%A3/05").status == 404  # Unicode digits are not [0-9]
    assert server.get("/hello/%FF").status == 400  # not UTF-8: refused before the handler runs
    assert server.post("/hello/Ada", body=b"").status == 405


def test_a_pattern_cannot_mix_named_and_unnamed_groups():
    with pytest.raises(AssertionError, match="all named or all positional"):
        tornado.web.Application([(r"/(?P<year>[0-9]{4})/([0-9]{2})", tornado.web.RequestHandler)])


def test_under_python_o_the_check_is_gone_and_the_unnamed_group_is_dropped():
    program = """
import tornado.web
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
app = tornado.web.Application([(r"/(?P<year>[0-9]{4})/([0-9]{2})", tornado.web.RequestHandler)])
request = HTTPServerRequest(start_line=RequestStartLine("GET", "/2024/05", "HTTP/1.1"), headers=HTTPHeaders({"Host": "x"}))
delegate = app.find_handler(request)
print(delegate.path_args, delegate.path_kwargs)
"""
    done = subprocess.run([sys.executable, "-O", "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] {'year': b'2024'}"
