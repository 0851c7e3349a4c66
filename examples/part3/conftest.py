"""A fixture the Part III tests share, beside the helpers of examples/conftest.py."""

import socket

import pytest


def _announce_body(server, method, path, length, content_type="application/octet-stream", timeout=5):
    """Send only the request head, announcing a body of `length` bytes; return the status line.

    A server that refuses the body answers at once and closes. Sending the body
    too would race with that close (the client could see a reset instead of the
    answer), so the body is never sent.
    """
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as raw:
        raw.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n" not in answer:
            chunk = raw.recv(1024)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


@pytest.fixture
def announce_body():
    """announce_body(server, method, path, length) -> the status line the server sends."""
    return _announce_body
