"""The test helper of this folder: a client that keeps cookies like a browser."""

import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest


class Browser:
    """Sends GETs, keeps cookies like a browser, and does not follow redirects (the test does)."""

    def __init__(self):
        self.cookies = {}
        self.morsels = {}

    def get(self, url):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.morsels[name] = morsel
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:  # clear_cookie sends an empty value that expired long ago
                    self.cookies.pop(name, None)
        return response.status, response.headers, body


@pytest.fixture
def new_browser():
    return Browser
