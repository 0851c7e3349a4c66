"""Offline copies of the guide beside the ePub and the PDF: the whole guide as one HTML page per language.

    python -m tools.offline [LANGUAGE ...] [--out FOLDER]

writes _build/offline/tornado-guide-<language>.zip (one page, its images and styles). On
Read the Docs, --out is $READTHEDOCS_OUTPUT/htmlzip. The PDF is tools/pdf.py.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from tools.build import sphinx_command
from tools.languages import LANGUAGES, sphinx_language
from tools.project import BUILD_DIR, ROOT

OFFLINE_DIR = BUILD_DIR / "offline"


def archive_name(language: str) -> str:
    return f"tornado-guide-{language}"


def build_single_page(language: str, out: Path | None = None) -> Path:
    """Build one language as a single HTML page and zip it; return the zip's path."""
    folder = OFFLINE_DIR / language / archive_name(language)
    if subprocess.call(sphinx_command(language, folder, "singlehtml"), cwd=ROOT) != 0:
        raise SystemExit(f"error: the single-page {language} build failed (see the messages above)")
    target = out or OFFLINE_DIR
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.make_archive(str(target / archive_name(language)), "zip", folder.parent, folder.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.offline", description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", metavar="LANGUAGE")
    parser.add_argument("--out", type=Path, help="put the zip here (one language only)")
    args = parser.parse_args(argv)
    languages = [sphinx_language(name) for name in args.languages] or list(LANGUAGES)
    if args.out and len(languages) != 1:
        parser.error("--out takes exactly one language")
    for language in languages:
        print(build_single_page(language, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
