"""Fixtures for the checks of the site itself: the built site, served over real HTTP."""

from __future__ import annotations

import asyncio
import fcntl
import threading
from pathlib import Path

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from tools import site


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Both languages built with warnings as errors (incrementally, once per test worker)."""
    site.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with open(site.BUILD_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers share _build/
        failed = site.build(list(site.LANGUAGES))
    if failed:
        pytest.fail("the site does not build without warnings in every language (see the output above)")
    return site.HTML_DIR


class _SiteHandler(tornado.web.StaticFileHandler):
    """The built site as a web server sends it: compressed, index.html for folders, 404.html for misses."""

    def write_error(self, status_code, **kwargs):
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.exists():
            self.finish(not_found.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


def _serve_in_thread(root: Path, started: threading.Event, holder: dict) -> None:
    async def main():
        app = tornado.web.Application(
            [(r"/(.*)", _SiteHandler, {"path": str(root), "default_filename": "index.html"})],
            compress_response=True,
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        holder["port"] = sockets[0].getsockname()[1]
        holder["stop"] = asyncio.Event()
        holder["loop"] = asyncio.get_running_loop()
        started.set()
        await holder["stop"].wait()
        server.stop()

    asyncio.run(main())


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served over HTTP on a free loopback port, laid out as `make serve` lays it out."""
    started, holder = threading.Event(), {}
    thread = threading.Thread(target=_serve_in_thread, args=(built_site, started, holder), daemon=True)
    thread.start()
    assert started.wait(10), "the site server did not start"
    yield f"http://127.0.0.1:{holder['port']}"
    holder["loop"].call_soon_threadsafe(holder["stop"].set)
    thread.join(5)
