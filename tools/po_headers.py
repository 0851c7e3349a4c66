"""Fill the header of every translation catalog with the guide's own details.

Usage (from the repository root, inside the project's virtualenv):

    python -m tools.po_headers            # rewrite the headers that need it
    python -m tools.po_headers --check    # list the catalogs whose header is not filled; exit 1 if any
    python -m tools.po_headers PATH ...   # only these catalogs

Sphinx's gettext builder and sphinx-intl start every catalog from gettext's template
header (SOME DESCRIPTIVE TITLE, FIRST AUTHOR, YEAR-MO-DA). This tool replaces the
comment block and the header fields that name the project, the team and the language,
and leaves everything after the header byte for byte as it was, so it can run at any
time, even over catalogs that translators are editing. `python -m tools.site update-po`
runs it after merging, so a new catalog never keeps the template header.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tools import site

PROJECT = "Tornado Guide"
COPYRIGHT = "2026, the Tornado Guide authors"
BUGS_TO = "Tornado Guide maintainers (see README.md)"
TEAM = "Tornado Guide translators"
LANGUAGE_NAMES = {"zh_CN": "Chinese (Simplified)"}
# The theme catalog (Sphinx loads catalogs named "sphinx" for the theme's words).
THEME_DOMAIN = "sphinx"
# What gettext's and Babel's templates leave in a header that nobody filled in.
PLACEHOLDERS = (
    "SOME DESCRIPTIVE TITLE",
    "FIRST AUTHOR",
    "EMAIL@ADDRESS",
    "YEAR-MO-DA",
    "FULL NAME",
    "LANGUAGE <",
    "PACKAGE",
)

_FIELD = re.compile(r'^"([A-Za-z-]+): ?(.*?)(?:\\n)?"$')


def version() -> str:
    """The guide's version: the Tornado release it is tested with (as in conf.py)."""
    import tornado

    return ".".join(tornado.version.split(".")[:2])


def catalogs(language: str | None = None) -> list[Path]:
    languages = [language] if language else list(site.TRANSLATIONS)
    return sorted(path for lang in languages for path in (site.LOCALE_DIR / lang / "LC_MESSAGES").rglob("*.po"))


def describe(path: Path) -> tuple[str, str]:
    """The language of a catalog and what it translates (a page, or the theme's words)."""
    relative = path.resolve().relative_to(site.LOCALE_DIR.resolve())
    language, domain = relative.parts[0], Path(*relative.parts[2:]).with_suffix("").as_posix()
    return language, domain


def title(path: Path) -> str:
    language, domain = describe(path)
    # Short enough (under 70 characters) that Babel, and so sphinx-intl, never rewraps it.
    if domain == THEME_DOMAIN:
        return f"{PROJECT}: {language} translation of the theme's words"
    return f"{PROJECT}: {language} translation of {domain}"


def wanted_fields(path: Path) -> dict[str, str]:
    language, _ = describe(path)
    return {
        "Project-Id-Version": f"{PROJECT} {version()}",
        "Report-Msgid-Bugs-To": BUGS_TO,
        "Last-Translator": TEAM,
        "Language-Team": f"{LANGUAGE_NAMES.get(language, language)} <{TEAM}>",
        "Language": language,
    }


def split_header(text: str) -> tuple[list[str], list[str], str]:
    """(comment lines, header entry lines, the rest of the file) of a catalog's text."""
    lines = text.split("\n")
    i = 0
    comments = []
    while i < len(lines) and lines[i].startswith("#"):
        comments.append(lines[i])
        i += 1
    if i + 1 >= len(lines) or lines[i] != 'msgid ""' or not lines[i + 1].startswith("msgstr"):
        raise ValueError('the catalog does not start with a header entry (msgid "")')
    entry = []
    while i < len(lines) and lines[i].strip():
        entry.append(lines[i])
        i += 1
    return comments, entry, "\n".join(lines[i:])


def header_fields(entry: list[str]) -> list[tuple[str, str]]:
    fields = []
    for line in entry[2:]:
        match = _FIELD.match(line)
        if match:
            fields.append((match.group(1), match.group(2)))
    return fields


def filled(text: str, path: Path) -> str:
    """The catalog's text with its header filled in; the rest unchanged."""
    comments, entry, rest = split_header(text)
    flags = [line for line in comments if line.startswith("#,")]  # e.g. a fuzzy header stays visible
    year = COPYRIGHT.split(",")[0]
    new_comments = [
        f"# {title(path)}",
        f"# Copyright (C) {COPYRIGHT}",
        f"# Distributed under the same license as the {PROJECT}.",
        f"# {TEAM}, {year}.",
        "#",
        *flags,
    ]
    fields = dict(header_fields(entry))
    order = [name for name, _ in header_fields(entry)]
    for name, value in wanted_fields(path).items():
        fields[name] = value
        if name not in order:
            order.append(name)
    if "YEAR" in fields.get("PO-Revision-Date", "YEAR"):
        # No editor has stamped it yet: the catalog's creation date is the honest stand-in.
        fields["PO-Revision-Date"] = fields.get("POT-Creation-Date", f"{year}-01-01 00:00+0000")
        if "PO-Revision-Date" not in order:
            order.append("PO-Revision-Date")
    first = ["Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
             "Last-Translator", "Language", "Language-Team"]  # fmt: skip
    order = [name for name in first if name in order] + [name for name in order if name not in first]
    new_entry = ['msgid ""', 'msgstr ""', *(f'"{name}: {fields[name]}\\n"' for name in order)]
    return "\n".join(new_comments + new_entry) + "\n" + rest


def problems(path: Path, text: str | None = None) -> list[str]:
    """What is missing or left from the template in a catalog's header; empty when it is filled.

    `text` stands in for the file's content (to check a header before writing it)."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    comments, entry, _ = split_header(text)
    header = "\n".join(comments + entry)
    found = [f"template placeholder {p!r}" for p in PLACEHOLDERS if p in header]
    fields = dict(header_fields(entry))
    for name, value in wanted_fields(path).items():
        if fields.get(name) != value:
            found.append(f"{name} is {fields.get(name)!r}, not {value!r}")
    if not comments or comments[0] != f"# {title(path)}":
        found.append(f"the first line is not the title {title(path)!r}")
    return found


def fill(paths: list[Path]) -> list[Path]:
    """Rewrite the headers that need it; return the catalogs that changed."""
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = filled(text, path)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def fill_pages(pages: list[str]) -> list[Path]:
    """Fill the headers of the catalogs of these pages in every translation (for update-po)."""
    paths = [site.catalog(language, page) for language in site.TRANSLATIONS for page in pages]
    return fill([path for path in paths if path.is_file()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.po_headers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report catalogs whose header is not filled")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="catalogs (default: every catalog)")
    args = parser.parse_args(argv)
    paths = [path.resolve() for path in args.paths] or catalogs()
    missing = [path for path in paths if not path.is_file()]
    if missing:
        print(f"error: no such catalog: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if args.check:
        bad = [(path, problems(path)) for path in paths]
        bad = [(path, found) for path, found in bad if found]
        for path, found in bad:
            print(f"{path.relative_to(site.ROOT)}: {'; '.join(found)}")
        return 1 if bad else 0
    for path in fill(paths):
        print(f"header filled: {path.relative_to(site.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
