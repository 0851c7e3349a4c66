"""`make serve`: both languages at http://127.0.0.1:8000/, rebuilt when a source changes.

sphinx-autobuild's watcher calls Rebuild with the changed paths; the rebuild is
incremental (tools/build.py), and the open page reloads itself when it is done.
"""

from __future__ import annotations

import os
import queue
import socket
import sys
import threading
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


class SearchIndexer:
    """Pagefind indexes a rebuilt language after its pages are served (tools/search.py), in
    one background thread: the edited page shows as soon as Sphinx wrote it."""

    def __init__(self):
        self.waiting: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._run, daemon=True).start()

    def add(self, languages) -> None:
        for language in languages:
            self.waiting.put(language)

    def _run(self) -> None:
        from tools.build import doctrees
        from tools.search import index_site, source_copy

        while True:
            language = self.waiting.get()
            if (HTML_DIR / language).is_dir():
                try:
                    index_site(HTML_DIR / language, source_copy(doctrees(language)))
                except RuntimeError as error:
                    print(f"[serve] {error}", file=sys.stderr)


def serve_environment() -> dict[str, str]:
    from tools.search import DEFER_VARIABLE

    return dict(os.environ, **{DEFER_VARIABLE: "1"})


def build_for_serve(languages: list[str], indexer: SearchIndexer, warm=None) -> int:
    """Build with the search index left to the indexer, in the warm Sphinx (tools/warm.py) if given."""
    failed = build(languages, env=serve_environment(), warm=warm)
    indexer.add(languages)
    return failed


class Rebuild:
    """Rebuild the languages that a change touches; called by sphinx-autobuild's watcher."""

    def __init__(self, indexer: SearchIndexer, warm=None):
        self.indexer = indexer
        self.warm = warm

    def __call__(self, *, changed_paths) -> None:
        languages = languages_touched(changed_paths)
        if not languages:
            return
        print(f"[serve] change in {', '.join(str(p) for p in changed_paths[:3])}: rebuilding {', '.join(languages)}")
        build_for_serve(languages, self.indexer, self.warm)


def watcher_class():
    """sphinx-autobuild's watcher, calling Rebuild in a thread of this process.

    sphinx-autobuild runs the callback in a new process per change (a ProcessPoolExecutor),
    which costs a fork and a pickle per save and would lose the warm Sphinx and the search
    indexer; a thread keeps them, and the rebuild itself runs in other processes anyway."""
    import asyncio

    import watchfiles
    from sphinx_autobuild.server import RebuildServer

    class ThreadedRebuildServer(RebuildServer):
        async def watch(self) -> None:
            async for changes in watchfiles.awatch(*self.paths, watch_filter=lambda _, path: not self.ignore(path)):
                changed_paths = [Path(path).resolve() for _, path in changes]
                await asyncio.to_thread(self.change_callback, changed_paths=changed_paths)
                self.flag.set()

    return ThreadedRebuildServer


def serve(port: int, host: str = LOCAL_HOST, initial_build: bool = True) -> int:
    """Serve every language at http://HOST:PORT/ and rebuild them when a source changes."""
    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    if not port_is_free(port, host):
        print(f"error: port {port} is already in use; choose another, e.g. make serve PORT={port + 1}", file=sys.stderr)
        return 1
    from tools.warm import WarmSphinx

    indexer, warm = SearchIndexer(), WarmSphinx(serve_environment())
    if initial_build and build_for_serve(list(LANGUAGES), indexer, warm):
        print("[serve] serving what built; fix the errors above and save to rebuild", file=sys.stderr)
    ignore = IgnoreFilter([BUILD_DIR, ROOT / ".venv"], [r".*\.mo$", r".*/__pycache__/.*", r".*\.pyc$", r".*~$"])
    watcher = watcher_class()(
        [DOCS_DIR, EXAMPLES_DIR, LOCALE_DIR, ROOT / "conf.py"], ignore, change_callback=Rebuild(indexer, warm)
    )
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
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        warm.close()
    return 0
