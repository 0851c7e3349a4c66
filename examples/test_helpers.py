"""The shared test helpers of examples/conftest.py, checked against a real example."""

import pytest

HELLO = "part1/first-application/hello.py"
COOKIES = "part5/cookies/plain_cookie.py"


def test_request_get_and_response_fields(start_example):
    server = start_example(HELLO)
    response = server.get("/")
    assert (response.status, response.reason, response.text) == (200, "OK", "Hello, world\n")
    assert response.headers["content-type"].startswith("text/html")
    assert server.request("POST", "/", form={"a": "1"}).status == 405


def test_get_json_fails_on_a_status_other_than_200(start_example):
    server = start_example(HELLO)
    with pytest.raises(AssertionError, match="404"):
        server.get_json("/missing")


def test_wait_for_output_finds_the_access_log_line_and_times_out_otherwise(start_example):
    server = start_example(HELLO, "--logging=info")
    server.get("/")
    assert server.wait_for_output(r"200 GET / \(127\.0\.0\.1\)").group(0)
    with pytest.raises(AssertionError, match="did not print"):
        server.wait_for_output("never printed", timeout=0.2)


def test_a_session_keeps_cookies_between_requests(start_example):
    server = start_example(COOKIES)
    session = server.session()
    first = session.get("/").text
    second = session.get("/").text
    assert session.cookies, "the example sets a cookie"
    assert first != second, "the second request carried the cookie back"
    assert server.get("/").text == first, "a request without the session starts again"


def test_fixed_port_and_environment(start_example):
    from tools.site import free_port

    port = free_port()
    server = start_example(HELLO, port=port, env={"EXTRA": "1"})
    assert server.port == port and server.get("/").status == 200


def test_a_missing_example_is_named(start_example):
    with pytest.raises(FileNotFoundError, match="no-such.py"):
        start_example("part1/no-such.py")
