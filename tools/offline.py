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
from tools.languages import add_language_arguments, chosen_languages
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
    add_language_arguments(parser, "put the zip here")
    args = parser.parse_args(argv)
    for language in chosen_languages(parser, args):
        print(build_single_page(language, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
