import pytest


def test_a_plain_cookie_counts_visits_and_the_client_can_rewrite_it(start_example, visit, replay):
    server = start_example("plain_cookie.py")
    body, cookie = visit(server)
    assert body == "Visits: 1\n"
    assert (cookie.value, cookie["path"]) == ("1", "/")
    # No flags were asked for, so none are set.
    assert not cookie["httponly"] and not cookie["secure"] and not cookie["samesite"]
    # The client sends the cookie back, and the count goes on.
    body, cookie = visit(server, cookie.coded_value)
    assert (body, cookie.value) == ("Visits: 2\n", "2")
    # Nothing stops a client from sending any number it likes.
    assert visit(server, "999")[0] == "Visits: 1000\n"
    # Text that is not a number starts the count again instead of failing with 500.
    assert visit(server, "abc")[0] == "Visits: 1\n"
    replay("plain_cookie.console", server)


@pytest.mark.parametrize(
    "value", ["9" * 4300, "9" * 5000, "1234567890", "-5", "\u0661\u0662", "1e3", ""]
)  # fmt: skip
def test_any_value_but_one_to_nine_ascii_digits_restarts_the_count(start_example, visit, value):
    server = start_example("plain_cookie.py")
    assert visit(server, value)[0] == "Visits: 1\n"


def test_a_nul_in_the_cookie_header_is_400(start_example):
    # Tornado's HTTP parser refuses the request before the handler runs.
    assert start_example("plain_cookie.py").get("/", headers={"Cookie": b"visits=1\x002"}).status == 400
