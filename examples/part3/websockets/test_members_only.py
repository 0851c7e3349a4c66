import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

PROGRAM = "members_only.py"


def login(server, name="ada"):
    session = server.session()
    response = session.post("/login", form={"name": name})
    assert response.status == 200, response.status
    return session


def handshake(server, cookie=None, origin=None):
    """Open the socket; the first message, or the status code that refused the handshake."""
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin

    async def scenario():
        request = HTTPRequest(f"ws://127.0.0.1:{server.port}/socket", headers=headers, connect_timeout=5)
        try:
            connection = await websocket_connect(request)
        except HTTPClientError as error:
            return error.code
        first = json.loads(await asyncio.wait_for(connection.read_message(), timeout=5))
        await connection.write_message("hi")
        second = json.loads(await asyncio.wait_for(connection.read_message(), timeout=5))
        connection.close()
        return first, second

    return asyncio.run(scenario())


def test_a_signed_in_user_gets_in(start_example):
    server = start_example(PROGRAM)
    cookie = f"user={login(server).cookies['user']}"
    assert handshake(server, cookie) == ({"hello": "ada"}, {"from": "ada", "length": 2})
    own = f"http://127.0.0.1:{server.port}"
    assert handshake(server, cookie, own)[0] == {"hello": "ada"}


def test_without_a_valid_cookie_the_handshake_gets_401(start_example):
    server = start_example(PROGRAM)
    assert handshake(server) == 401
    assert handshake(server, "user=ada") == 401  # not signed
    signed = login(server).cookies["user"]
    assert (
        handshake(server, "user=" + signed.replace("YWRh", "ZXZl")) == 401
    )  # "ada" made "eve" in base64: the signature fails
    assert handshake(server, "user=1|2|3") == 401  # an old-format value: refused, not a 500


def test_prepare_runs_before_the_origin_check(start_example):
    server = start_example(PROGRAM)
    cookie = f"user={login(server).cookies['user']}"
    # A signed-in visitor on a foreign page: the origin check refuses it.
    assert handshake(server, cookie, "https://evil.example") == 403
    # No cookie and a foreign origin: prepare answered first, with 401.
    assert handshake(server, None, "https://evil.example") == 401


@pytest.mark.parametrize(
    "form, headers",
    [
        ({"name": "Ada"}, {}),  # only lowercase letters
        ({"name": "a" * 21}, {}),
        ({"name": "٣"}, {}),
        ({}, {}),
        ({"name": "ada"}, {"Origin": "https://evil.example"}),  # a login from another site's page
    ],
)
def test_a_bad_login_is_refused_with_4xx(start_example, form, headers):
    server = start_example(PROGRAM)
    session = server.session()
    response = session.post("/login", form=form, headers=headers)
    assert 400 <= response.status < 500
    assert "user" not in session.cookies


def test_a_wrong_method_is_4xx(start_example):
    server = start_example(PROGRAM)
    assert server.get("/login").status == 405
    assert server.post("/socket", body=b"").status == 401  # prepare runs for every method
