"""A client for the cookie examples that sends and reads the cookie by hand.

urllib's cookie jar would not send a Secure cookie over plain HTTP, and the
tests want to look at the cookie and change it anyway.
"""

from http.cookies import Morsel, SimpleCookie
from urllib.request import Request, urlopen

import pytest


@pytest.fixture
def visit():
    """visit(server, cookie=None) -> (body, morsel): GET / with `Cookie: visits=<cookie>`."""

    def get(server, cookie: str | None = None) -> tuple[str, Morsel]:
        headers = {} if cookie is None else {"Cookie": f"visits={cookie}"}
        with urlopen(Request(server.url + "/", headers=headers)) as response:
            body = response.read().decode("utf-8")
            jar = SimpleCookie(response.headers["Set-Cookie"])
        return body, jar["visits"]

    return get
