"""The cookie examples' one helper: GET / with a visits cookie written by hand.

The tests want to send any value, even a forged or tampered one, and to look
at the Set-Cookie header that comes back, flags included.
"""

from http.cookies import Morsel, SimpleCookie

import pytest


@pytest.fixture
def visit():
    """visit(server, cookie=None) -> (body, morsel): GET / with `Cookie: visits=<cookie>`."""

    def get(server, cookie: str | None = None) -> tuple[str, Morsel]:
        headers = {} if cookie is None else {"Cookie": f"visits={cookie}".encode()}
        response = server.get("/", headers=headers)
        assert response.status == 200, (response.status, response.text)
        return response.text, SimpleCookie(response.headers["Set-Cookie"])["visits"]

    return get
