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
