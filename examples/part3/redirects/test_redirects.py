from urllib.request import urlopen

import pytest


def where(server, path, method="GET", **kwargs):
    """Status and Location of one request; the server's redirects are not followed."""
    response = server.request(method, path, **kwargs)
    return response.status, response.headers.get("Location")


def test_self_redirect_is_302_unless_permanent(start_example, replay):
    server = start_example("redirects.py")
    assert where(server, "/latest") == (302, "/releases/6.6")
    assert where(server, "/go?to=guide") == (302, "/guide/intro")
    assert where(server, "/users/Ada") == (301, "/users/ada")
    assert where(server, "/users/ada") == (200, None)
    replay("redirects-self.console", server)


def test_redirect_handler_is_301_unless_told_otherwise(start_example, replay):
    server = start_example("redirects.py")
    assert where(server, "/about-us") == (301, "/about")
    assert where(server, "/shop") == (302, "/closed")
    # RedirectHandler answers GET only.
    assert where(server, "/about-us", "POST", body=b"")[0] == 405
    assert where(server, "/about-us", "HEAD")[0] == 405
    replay("redirects-handler.console", server)


def test_a_group_fills_the_target_and_the_query_is_kept(start_example):
    server = start_example("redirects.py")
    assert where(server, "/docs/install") == (301, "/guide/install")
    assert where(server, "/docs/install?lang=zh") == (301, "/guide/install?lang=zh")
    assert where(server, "/docs/Install")[0] == 404  # the group takes lowercase only
    assert where(server, "/docs/a/b")[0] == 404


def test_a_group_may_not_change_the_host_of_the_target(start_example):
    server = start_example("redirects.py")
    assert where(server, "/archive/guide/intro") == (301, "/guide/intro")
    # "/{0}" with "/evil.example/" would be "//evil.example/": another host. Tornado 6.6 refuses.
    assert where(server, "/archive//evil.example/") == (400, None)
    assert where(server, "/archive/%2F%2Fevil.example") == (400, None)  # the same, percent-encoded
    assert where(server, "/archive/a%0D%0ASet-Cookie:x=1") == (400, None)  # no header injection either


def test_addslash_and_removeslash_redirect_to_one_form(start_example, replay):
    server = start_example("redirects.py")
    assert where(server, "/guide") == (301, "/guide/")
    assert server.get("/guide/").text == "The table of contents\n"
    assert where(server, "/contact/") == (301, "/contact")
    assert where(server, "/contact/?from=footer") == (301, "/contact?from=footer")
    assert server.get("/contact").text == "Write to us\n"
    # Decorating post too: a POST to the other form gets 404, not a redirect.
    assert where(server, "/contact/", "POST", form={"message": "hi"}) == (404, None)
    assert server.post("/contact", form={"message": "hi"}).status == 200
    replay("redirects-slash.console", server)


def test_every_target_exists(start_example):
    server = start_example("redirects.py")
    # urlopen follows redirects: each chain must end on a real page.
    for path, final in [("/latest", "/releases/6.6"), ("/go?to=releases", "/releases/6.6"),
                        ("/users/ADA", "/users/ada"), ("/about-us", "/about"), ("/guide", "/guide/"),
                        ("/docs/install", "/guide/install"), ("/shop", "/closed"), ("/contact/", "/contact"),
                        ("/archive/about", "/about")]:  # fmt: skip
        with urlopen(server.url + path) as response:
            assert response.status == 200
            assert response.url == server.url + final


def test_after_a_post_303_sends_the_browser_to_get(start_example):
    server = start_example("redirects.py")
    assert where(server, "/subscribe", "POST", form={"email": "ada@example.com"}) == (303, "/guide/thanks")


@pytest.mark.parametrize(
    "method, path, form",
    [
        ("GET", "/go", None),  # no target named
        ("GET", "/go?to=https://evil.example", None),  # not in the table
        ("GET", "/go?to=guide%00x", None),  # NUL: Tornado makes it a space
        ("GET", "/users/%FF", None),
        ("GET", "/users/" + "a" * 5000 + "%D9%A3", None),
        ("GET", "/releases/%D9%A3", None),
        ("POST", "/subscribe", {}),  # no email
        ("POST", "/subscribe", {"email": "not an address"}),
        ("POST", "/subscribe", {"email": "a@" + "b" * 300}),
        ("DELETE", "/latest", None),
    ],
)
def test_bad_requests_are_4xx(start_example, method, path, form):
    server = start_example("redirects.py")
    response = server.request(method, path, form=form)
    assert 400 <= response.status < 500, (method, path[:40], response.status)
