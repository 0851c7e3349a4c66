"""Fixtures for the checks of the site itself: the built site, served over real HTTP."""

from __future__ import annotations

import fcntl
import functools
import http.server
import threading
from pathlib import Path

import pytest

from tools import site
from tools.site import free_port


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Both languages built with warnings as errors (incrementally, once per test worker)."""
    site.BUILD_DIR.mkdir(exist_ok=True)
    with open(site.BUILD_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers share _build/
        failed = site.build(list(site.LANGUAGES))
    if failed:
        pytest.fail("the site does not build without warnings in every language (see the output above)")
    return site.HTML_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served over HTTP on a free loopback port, laid out as `make serve` lays it out."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()

