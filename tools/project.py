"""Where the project's files are: the pages, the examples, the catalogs and the build output."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
EXAMPLES_DIR = ROOT / "examples"
LOCALE_DIR = ROOT / "locale"
TOOLS_DIR = ROOT / "tools"
# GUIDE_BUILD_DIR moves the whole build (for builds that must not share _build/).
BUILD_DIR = Path(os.environ.get("GUIDE_BUILD_DIR") or ROOT / "_build").resolve()
HTML_DIR = BUILD_DIR / "html"
GETTEXT_DIR = BUILD_DIR / "gettext"
EPUB_DIR = BUILD_DIR / "epub"
GLOSSARY_FILE = DOCS_DIR / "glossary.tsv"


def pages() -> list[str]:
    """Every page of the guide, as Sphinx names it (part1/first-application)."""
    return sorted(path.relative_to(DOCS_DIR).with_suffix("").as_posix() for path in DOCS_DIR.rglob("*.md"))


def catalog(language: str, page: str) -> Path:
    """The gettext catalog that translates one page."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{page}.po"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write a file atomically, and only when its content changes (its mtime tells Sphinx
    and the watchers whether to rebuild). Return whether it was written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True
