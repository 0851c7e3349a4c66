import http.client
from urllib.parse import urlencode
from urllib.request import urlopen


def request(server, method, path, body=None, headers=None):
    """One request with http.client, which never follows a redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_self_redirect_is_302_unless_permanent(start_example, replay):
    server = start_example("redirects.py")
    assert request(server, "GET", "/latest") == (302, "/releases/6.6")
    assert request(server, "GET", "/go?to=guide") == (302, "/guide/intro")
    assert request(server, "GET", "/users/Ada") == (301, "/users/ada")
    assert request(server, "GET", "/users/ada") == (200, None)
    replay("self-redirect.console", server)


def test_redirect_handler_is_301_unless_told_otherwise(start_example, replay):
    server = start_example("redirects.py")
    assert request(server, "GET", "/about-us") == (301, "/about")
    assert request(server, "GET", "/shop") == (302, "/closed")
    # RedirectHandler answers GET only.
    assert request(server, "POST", "/about-us", b"")[0] == 405
    replay("redirect-handler.console", server)


def test_a_group_fills_the_target_and_the_query_is_kept(start_example):
    server = start_example("redirects.py")
    assert request(server, "GET", "/docs/install") == (301, "/guide/install")
    assert request(server, "GET", "/docs/install?lang=zh") == (301, "/guide/install?lang=zh")
    assert request(server, "GET", "/docs/Install")[0] == 404  # the group takes lowercase only
    assert request(server, "GET", "/docs/a/b")[0] == 404


def test_every_target_exists(start_example):
    server = start_example("redirects.py")
    # urlopen follows redirects: each chain must end on a real page.
    for path, final in [("/latest", "/releases/6.6"), ("/go?to=releases", "/releases/6.6"),
                        ("/users/ADA", "/users/ada"), ("/about-us", "/about"),
                        ("/docs/install", "/guide/install"), ("/shop", "/closed")]:  # fmt: skip
        with urlopen(server.url + path) as response:
            assert response.status == 200
            assert response.url == server.url + final


def test_after_a_post_303_sends_the_browser_to_get(start_example):
    server = start_example("redirects.py")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = urlencode({"email": "ada@example.com"})
    assert request(server, "POST", "/subscribe", body, form) == (303, "/guide/thanks")
    assert request(server, "POST", "/subscribe", "", form)[0] == 400  # no email


def test_bad_requests_are_4xx(start_example):
    server = start_example("redirects.py")
    assert request(server, "GET", "/go")[0] == 400  # no target named
    assert request(server, "GET", "/go?to=https://evil.example")[0] == 404  # not in the table
    assert request(server, "GET", "/users/%FF")[0] == 404
