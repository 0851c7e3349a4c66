"""Build, serve and describe the guide: the one place that knows how a language is built.

Usage (from the repository root, inside the project's virtualenv):

    python -m tools.site build [LANGUAGE ...] [--out DIR]   # default: every language
    python -m tools.site epub [LANGUAGE ...]                 # an ePub per language
    python -m tools.site gettext                             # English messages, one .pot a page
    python -m tools.site update-po [PAGE ...]                # merge them into the catalogs
    python -m tools.site serve [--port 8000]                 # both languages, rebuilt on edit

LANGUAGE may be a Sphinx name (en, zh_CN) or a Read the Docs name (zh-cn).
"""

from __future__ import annotations

import argparse
import csv
import inspect
import os
import pkgutil
import re
import shutil
import socket
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
EXAMPLES_DIR = ROOT / "examples"
LOCALE_DIR = ROOT / "locale"
# GUIDE_BUILD_DIR moves the whole build (for builds that must not share _build/).
BUILD_DIR = Path(os.environ.get("GUIDE_BUILD_DIR") or ROOT / "_build").resolve()
HTML_DIR = BUILD_DIR / "html"
GETTEXT_DIR = BUILD_DIR / "gettext"
EPUB_DIR = BUILD_DIR / "epub"
GLOSSARY_FILE = DOCS_DIR / "glossary.tsv"
LANDING_PAGE = Path(__file__).resolve().parent / "landing.html"

SOURCE_LANGUAGE = "en"
TRANSLATIONS = ("zh_CN",)
LANGUAGES = (SOURCE_LANGUAGE, *TRANSLATIONS)

TORNADO_DOCS = "https://www.tornadoweb.org/en/stable/"


def sphinx_language(name: str) -> str:
    """Map a language name as Read the Docs spells it (zh-cn) to Sphinx's (zh_CN)."""
    wanted = name.replace("-", "_").lower()
    for language in LANGUAGES:
        if language.lower() == wanted:
            return language
    raise ValueError(f"unknown language {name!r}; the guide is built in {', '.join(LANGUAGES)}")


def readthedocs_language(language: str) -> str:
    """Map a Sphinx language name (zh_CN) to the one in Read the Docs URLs (zh-cn)."""
    return language.replace("_", "-").lower()


def pages() -> list[str]:
    """Every page of the guide, as Sphinx names it (part1/first-application)."""
    return sorted(path.relative_to(DOCS_DIR).with_suffix("").as_posix() for path in DOCS_DIR.rglob("*.md"))


def catalog(language: str, page: str) -> Path:
    """The gettext catalog that translates one page."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{page}.po"


# ---------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    meaning: str


def glossary() -> list[Term]:
    """The glossary: each English term with the one Chinese term the translation uses."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    terms = []
    for line, row in enumerate(rows, start=2):
        if set(row) != {"english", "chinese", "meaning"} or not all(row.values()):
            raise ValueError(
                f"{GLOSSARY_FILE.relative_to(ROOT)}:{line}: each row needs an english, "
                "a chinese and a meaning column, separated by tabs"
            )
        terms.append(Term(row["english"].strip(), row["chinese"].strip(), row["meaning"].strip()))
    return terms


def chinese_words(text: str) -> list[str]:
    """The runs of Chinese characters in a term: 'Web 框架' gives ['框架'] (jieba splits at spaces)."""
    return re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text)


def jieba_dictionary() -> Path:
    """Write the glossary's Chinese terms as a jieba user dictionary, so search indexes them whole."""
    path = BUILD_DIR / "jieba-dictionary.txt"
    words = sorted({word for term in glossary() for word in chinese_words(term.chinese)})
    text = "".join(f"{word} 100000 n\n" for word in words)
    _write_if_changed(path, text.encode("utf-8"))
    return path


def quiet_jieba() -> None:
    """jieba logs its dictionary loading at DEBUG level to stderr; keep build output clean."""
    try:
        import jieba
    except ImportError:
        return
    import logging

    jieba.setLogLevel(logging.WARNING)


# ---------------------------------------------------------------- Tornado API links

# Tornado documents a few modules on a page not named after the module.
_TORNADO_PAGES = {
    "tornado.platform.asyncio": "asyncio.html",
    "tornado.curl_httpclient": "httpclient.html",
    "tornado.simple_httpclient": "httpclient.html",
}
_TORNADO_SKIP = ("tornado.test.", "tornado.platform.caresresolver", "tornado.platform.twisted", "tornado.speedups")


def tornado_inventory() -> Path:
    """Write an intersphinx inventory of Tornado's public API, read from the installed package.

    Tornado's reference has one page per module with an anchor per object, so the
    inventory can be made offline and the build needs no network.
    """
    import tornado

    path = BUILD_DIR / f"tornado-{tornado.version}.inv"
    if path.exists():
        return path
    lines = []
    for module_name, module in _tornado_modules():
        page = _TORNADO_PAGES.get(module_name, module_name.rsplit(".", 1)[-1] + ".html")
        lines.append(f"{module_name} py:module 0 {page}#module-{module_name} -")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module_name:
                continue
            if inspect.isclass(obj):
                lines.append(f"{module_name}.{name} py:class 1 {page}#$ -")
                for member, value in vars(obj).items():
                    if member.startswith("_") and member != "__init__":
                        continue
                    role = "py:method" if callable(value) or isinstance(value, (staticmethod, classmethod)) else "py:attribute"
                    lines.append(f"{module_name}.{name}.{member} {role} 1 {page}#$ -")
            elif inspect.isfunction(obj):
                lines.append(f"{module_name}.{name} py:function 1 {page}#$ -")
    header = (
        "# Sphinx inventory version 2\n"
        "# Project: Tornado\n"
        f"# Version: {tornado.version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress("\n".join(sorted(lines)).encode("utf-8") + b"\n")
    _write_if_changed(path, header.encode("ascii") + body)
    return path


def _tornado_modules():
    import importlib

    import tornado

    yield "tornado", tornado
    for info in pkgutil.walk_packages(tornado.__path__, "tornado."):
        if info.name.startswith(_TORNADO_SKIP):
            continue
        try:
            yield info.name, importlib.import_module(info.name)
        except ImportError:  # optional dependencies such as pycurl
            continue


# ---------------------------------------------------------------- building


def sphinx_command(language: str, outdir: Path, builder: str = "html") -> list[str]:
    """The sphinx-build command line for one language: warnings are errors."""
    return [
        sys.executable, "-m", "sphinx", "build",
        "-b", builder,
        "-c", str(ROOT),
        "-d", str(BUILD_DIR / "doctrees" / builder / language),
        "-D", f"language={language}",
        "-W", "--keep-going", "-q",
        # Write every page even when only one changed: each page's sidebar holds the
        # titles of all the others, and a retranslated title must reach them all.
        *(["-a"] if builder != "gettext" else []),
        str(DOCS_DIR), str(outdir),
    ]  # fmt: skip


def catalog_errors(catalogs: list[Path]) -> list[str]:
    """What msgfmt finds wrong in the catalogs, file and line first; empty when all are valid.

    Sphinx itself skips a broken entry silently, so the build checks first.
    """
    if shutil.which("msgfmt") is None:
        return ["msgfmt is missing: install the Debian package gettext (make does it when run as root)"]
    errors = []
    for path in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            errors.append(result.stderr.strip())
    return errors


def build(languages: list[str], out: Path | None = None) -> int:
    """Build each language (in parallel) and return the number of failed builds."""
    if out is not None and len(languages) != 1:
        raise ValueError("--out takes exactly one language")
    runs = []
    for language in languages:
        if language != SOURCE_LANGUAGE:
            errors = catalog_errors(sorted((LOCALE_DIR / language / "LC_MESSAGES").rglob("*.po")))
            if errors:
                print("\n".join(errors), file=sys.stderr)
                print(f"error: the {language} catalogs are broken; the {language} site was not rebuilt", file=sys.stderr)
                runs.append((language, None))
                continue
        outdir = out or HTML_DIR / language
        runs.append((language, subprocess.Popen(sphinx_command(language, outdir), cwd=ROOT)))
    failed = [language for language, run in runs if run is None or run.wait() != 0]
    for language in failed:
        print(f"error: the {language} build failed (see the messages above)", file=sys.stderr)
    if out is None:
        HTML_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LANDING_PAGE, HTML_DIR / "index.html")
        not_found = HTML_DIR / SOURCE_LANGUAGE / "404.html"
        if not_found.exists():  # make serve answers a missing address with it
            shutil.copyfile(not_found, HTML_DIR / "404.html")
    return len(failed)


def build_epub(languages: list[str], out: Path | None = None) -> int:
    """Make one ePub per language in _build/epub/LANGUAGE/ (and copy the book into OUT).

    Return the number that failed."""
    runs = [(language, subprocess.Popen(sphinx_command(language, EPUB_DIR / language, "epub"), cwd=ROOT)) for language in languages]
    failed = [language for language, run in runs if run.wait() != 0]
    for language in failed:
        print(f"error: the {language} ePub failed (see the messages above)", file=sys.stderr)
    if out is not None and not failed:
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(epub_file(languages[0]), out)
    return len(failed)


def epub_file(language: str) -> Path:
    return EPUB_DIR / language / "tornado-guide.epub"


def extract_messages() -> int:
    """Write one gettext template (.pot) per English page into _build/gettext/."""
    return subprocess.call(sphinx_command(SOURCE_LANGUAGE, GETTEXT_DIR, builder="gettext"), cwd=ROOT)


def update_catalogs(selected: list[str] | None = None) -> int:
    """Merge fresh templates into the translations' catalogs, for every page or only the selected ones.

    The templates are made in a private folder, so several people (or helpers) can
    update the catalogs of different pages at the same time without clobbering each other.
    """
    import tempfile

    unknown = sorted(set(selected or []) - set(pages()))
    if unknown:
        print(f"error: no such page: {', '.join(unknown)} (pages are named like part1/first-application)", file=sys.stderr)
        return 2
    BUILD_DIR.mkdir(exist_ok=True)
    # The templates go one level below _build/, as in `make gettext`, so that the source
    # locations they record (../../docs/page.md) read the same in every catalog.
    with tempfile.TemporaryDirectory(prefix="gettext-", dir=BUILD_DIR) as templates_dir, \
            tempfile.TemporaryDirectory(prefix="guide-gettext-") as tmp:  # fmt: skip
        templates, chosen = Path(templates_dir), Path(tmp, "chosen")
        command = sphinx_command(SOURCE_LANGUAGE, templates, builder="gettext")
        command[command.index("-d") + 1] = str(Path(tmp, "doctrees"))
        if subprocess.call(command, cwd=ROOT) != 0:
            return 1
        for page in selected or pages():
            target = chosen / f"{page}.pot"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(templates / f"{page}.pot", target)
        languages = [arg for language in TRANSLATIONS for arg in ("-l", language)]
        intl = [sys.executable, "-m", "sphinx_intl", "update", "--pot-dir", str(chosen), "--locale-dir", str(LOCALE_DIR)]
        if subprocess.call([*intl, *languages, "--no-obsolete"], cwd=ROOT) != 0:
            return 1
    from tools import po_headers  # sphinx-intl starts a new catalog from gettext's template header

    po_headers.fill_pages(selected or pages())
    return 0


def copy_project(target: Path) -> Path:
    """Copy the project as a fresh checkout has it: no git data, virtualenv, npm packages or build output."""
    local_state = shutil.ignore_patterns(".git", ".venv", "node_modules", "_build", "__pycache__", "*.mo", ".pytest_cache")
    shutil.copytree(ROOT, target, ignore=local_state)
    return target


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


# ---------------------------------------------------------------- serving


def free_port(host: str = "127.0.0.1") -> int:
    """A port that nothing listens on now (for tests; the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class Rebuild:
    """Rebuild the languages that a change touches; called by sphinx-autobuild's watcher."""

    def __call__(self, *, changed_paths) -> None:
        languages = list(LANGUAGES)
        if changed_paths and all(LOCALE_DIR in Path(p).parents for p in changed_paths):
            languages = list(TRANSLATIONS)  # a catalog edit cannot change the English pages
        print(f"[serve] change in {', '.join(str(p) for p in changed_paths[:3])}: rebuilding {', '.join(languages)}")
        build(languages)


def serve(port: int, host: str = "127.0.0.1", initial_build: bool = True) -> int:
    """Serve both languages at http://HOST:PORT/ and rebuild them when a source changes."""
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
    app = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=StaticFiles(directory=HTML_DIR, html=True), name="static"),
        ],
        # Compress outermost, so the live-reload script is injected into the uncompressed page.
        middleware=[Middleware(GZipMiddleware), Middleware(JavascriptInjectorMiddleware, ws_url=f"{host}:{port}")],
        lifespan=watcher.lifespan,
    )
    print(f"[serve] English: http://{host}:{port}/en/  Chinese: http://{host}:{port}/zh_CN/")
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the HTML site")
    build_parser.add_argument("languages", nargs="*", metavar="LANGUAGE")
    build_parser.add_argument("--out", type=Path, help="output folder (one language only)")
    epub_parser = commands.add_parser("epub", help="make an ePub of each language")
    epub_parser.add_argument("languages", nargs="*", metavar="LANGUAGE")
    epub_parser.add_argument("--out", type=Path, help="copy the book into this folder (one language only)")
    commands.add_parser("gettext", help="extract the English messages into _build/gettext/")
    update_parser = commands.add_parser("update-po", help="merge fresh templates into the catalogs")
    update_parser.add_argument("pages", nargs="*", metavar="PAGE", help="only these pages (default: all)")
    serve_parser = commands.add_parser("serve", help="serve both languages and rebuild on change")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--no-build", action="store_true", help="serve what _build/html holds now")
    args = parser.parse_args(argv)

    if args.command in ("build", "epub"):
        try:
            languages = [sphinx_language(name) for name in args.languages] or list(LANGUAGES)
        except ValueError as error:
            parser.error(str(error))
        if args.out is not None and len(languages) != 1:
            parser.error("--out takes exactly one language")
        if args.command == "epub":
            return 1 if build_epub(languages, args.out) else 0
        return 1 if build(languages, args.out) else 0
    if args.command == "gettext":
        return extract_messages()
    if args.command == "update-po":
        return update_catalogs(args.pages)
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    return serve(args.port, initial_build=not args.no_build)


if __name__ == "__main__":
    sys.exit(main())
