"""`make serve`: both languages at http://127.0.0.1:8000/, rebuilt when a source changes.

sphinx-autobuild's watcher calls Rebuild with the changed paths; the rebuild is
incremental (tools/build.py), and the open page reloads itself when it is done.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from tools.build import build
from tools.languages import LANGUAGES, LOCAL_HOST, TRANSLATIONS
from tools.project import BUILD_DIR, DOCS_DIR, EXAMPLES_DIR, HTML_DIR, LOCALE_DIR, ROOT


def port_is_free(port: int, host: str = LOCAL_HOST) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def languages_touched(changed_paths) -> list[str]:
    """The languages a change can alter: a catalog only its own language, anything else all."""
    touched = set()
    for path in map(Path, changed_paths):
        if LOCALE_DIR in path.parents:
            touched.add(path.relative_to(LOCALE_DIR).parts[0])
        else:
            return list(LANGUAGES)
    return [language for language in TRANSLATIONS if language in touched]


class Rebuild:
    """Rebuild the languages that a change touches; called by sphinx-autobuild's watcher."""

    def __call__(self, *, changed_paths) -> None:
        languages = languages_touched(changed_paths)
        if not languages:
            return
        print(f"[serve] change in {', '.join(str(p) for p in changed_paths[:3])}: rebuilding {', '.join(languages)}")
        build(languages)


def serve(port: int, host: str = LOCAL_HOST, initial_build: bool = True) -> int:
    """Serve every language at http://HOST:PORT/ and rebuild them when a source changes."""
    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    if not port_is_free(port, host):
        print(f"error: port {port} is already in use; choose another, e.g. make serve PORT={port + 1}", file=sys.stderr)
        return 1
    if initial_build and build(list(LANGUAGES)):
        print("[serve] serving what built; fix the errors above and save to rebuild", file=sys.stderr)
    ignore = IgnoreFilter([BUILD_DIR, ROOT / ".venv"], [r".*\.mo$", r".*/__pycache__/.*", r".*\.pyc$", r".*~$"])
    watcher = RebuildServer([DOCS_DIR, EXAMPLES_DIR, LOCALE_DIR, ROOT / "conf.py"], ignore, change_callback=Rebuild())
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    app = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=StaticFiles(directory=HTML_DIR, html=True), name="static"),
        ],
        # Compress outermost, so the live-reload script is injected into the uncompressed page.
        middleware=[Middleware(GZipMiddleware), Middleware(JavascriptInjectorMiddleware, ws_url=f"{host}:{port}")],
        lifespan=watcher.lifespan,
    )
    addresses = "  ".join(f"{language}: http://{host}:{port}/{language}/" for language in LANGUAGES)
    print(f"[serve] {addresses}")
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
