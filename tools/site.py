"""The guide's command line: build, serve and translate it, one language or all.

Usage (from the repository root, inside the project's virtualenv):

    python -m tools.site build [LANGUAGE ...] [--out DIR]   # default: every language
    python -m tools.site epub [LANGUAGE ...]                 # an ePub per language
    python -m tools.site gettext                             # English messages, one .pot a page
    python -m tools.site update-po [PAGE ...]                # merge them into the catalogs
    python -m tools.site serve [--port 8000]                 # every language, rebuilt on edit

LANGUAGE may be a Sphinx name (en, zh_CN) or a Read the Docs name (zh-cn).

Each job lives in its own module: tools/languages.py (the table of languages),
tools/project.py (where the files are), tools/build.py, tools/serve.py, tools/glossary.py,
tools/inventory.py (Tornado's objects.inv) and tools/testing.py (helpers for tests).
The names below are re-exported so that `from tools import site` keeps working.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from tools.build import (  # noqa: F401
    build,
    build_epub,
    catalog_errors,
    epub_file,
    extract_messages,
    landing_page,
    sphinx_command,
    update_catalogs,
)  # fmt: skip
from tools.glossary import Term, glossary  # noqa: F401
from tools.inventory import TORNADO_DOCS, tornado_inventory  # noqa: F401
from tools.languages import (  # noqa: F401
    LANGUAGES,
    LOCAL_PORT,
    LOCAL_URL,
    SOURCE_LANGUAGE,
    TRANSLATIONS,
    add_language_arguments,
    chosen_languages,
    readthedocs_language,
    sphinx_language,
)  # fmt: skip
from tools.project import (  # noqa: F401
    BUILD_DIR,
    DOCS_DIR,
    EPUB_DIR,
    EXAMPLES_DIR,
    GETTEXT_DIR,
    GLOSSARY_FILE,
    HTML_DIR,
    LOCALE_DIR,
    ROOT,
    catalog,
    pages,
)  # fmt: skip
from tools.serve import Rebuild, port_is_free, serve  # noqa: F401
from tools.testing import copy_project, free_port  # noqa: F401
from tools.warm import ForkedSphinx


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_language_arguments(commands.add_parser("build", help="build the HTML site"), "output folder")
    add_language_arguments(
        commands.add_parser("epub", help="make an ePub of each language"), "copy the book into this folder"
    )
    commands.add_parser("gettext", help="extract the English messages into _build/gettext/")
    update_parser = commands.add_parser("update-po", help="merge fresh templates into the catalogs")
    update_parser.add_argument("pages", nargs="*", metavar="PAGE", help="only these pages (default: all)")
    serve_parser = commands.add_parser("serve", help="serve every language and rebuild on change")
    serve_parser.add_argument("--port", type=int, default=LOCAL_PORT)
    serve_parser.add_argument("--no-build", action="store_true", help="serve what _build/html holds now")
    args = parser.parse_args(argv)

    if args.command in ("build", "epub"):
        languages = chosen_languages(parser, args)
        if args.command == "epub":
            return 1 if build_epub(languages, args.out) else 0
        # One Python imports Sphinx and forks a build per language (tools/warm.py).
        return 1 if build(languages, args.out, warm=ForkedSphinx() if threading.active_count() == 1 else None) else 0
    if args.command == "gettext":
        return extract_messages()
    if args.command == "update-po":
        return update_catalogs(args.pages)
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    return serve(args.port, initial_build=not args.no_build)


if __name__ == "__main__":
    code = main()
    if "sphinx.application" in sys.modules:
        # A build imported Sphinx into this process (tools/warm.py). Unloading it again at exit
        # takes a tenth of a second and saves nothing: every file is written and closed.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
