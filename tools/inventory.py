"""Tornado's intersphinx inventory: API names on the pages link to Tornado's own reference.

The inventory is Tornado's real objects.inv for the pinned release, kept in
tools/inventories/, so that building needs no network and links only to what Tornado
documents. `make inventory` (python -m tools.inventory) refreshes it: it downloads the
pinned sdist, builds its docs/ with the Sphinx Tornado pins (tools/tornado_docs.py), and
keeps the objects.inv that build writes.

Other projects' inventories belong in the same folder, named <project>-<version>.inv, with
their entry in conf.py's intersphinx_mapping. Python's (python-3.11.inv, linked by
tools/frame.py) keeps only the Python objects of Python's own objects.inv: the pages link
nothing else ({py:func} and the like), and the other 6,000 names (the C API, grammar
tokens, labels) made every build of every language read 40% more
(`python -m tools.inventory --python .../objects.inv`, see MAINTAINING.md).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

from tools.project import TOOLS_DIR

TORNADO_DOCS = "https://www.tornadoweb.org/en/stable/"
PYTHON_VERSION = "3.11"  # the oldest Python the guide supports
INVENTORIES_DIR = TOOLS_DIR / "inventories"


def inventory_file(project: str, version: str) -> Path:
    return INVENTORIES_DIR / f"{project}-{version}.inv"


def tornado_inventory() -> Path:
    """The kept objects.inv of the installed Tornado; a clear error if it was not refreshed."""
    from tools.tornado_docs import pinned_tornado

    path = inventory_file("tornado", pinned_tornado())
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: after bumping Tornado, run `make inventory` and commit it")
    return path


def read_header(path: Path) -> dict[str, str]:
    """The '# Project:' and '# Version:' lines of an inventory, as a dict."""
    header = {}
    with path.open("rb") as f:
        for _ in range(4):
            line = f.readline().decode("utf-8").strip()
            if ":" in line:
                key, value = line.lstrip("# ").split(":", 1)
                header[key.strip().lower()] = value.strip()
    return header


def read_entries(path: Path) -> list[str]:
    """The inventory's entries: 'name domain:role priority uri display name' per line."""
    data = path.read_bytes()
    body = data.split(b"\n", 4)[4]
    return zlib.decompress(body).decode("utf-8").splitlines()


def refresh(version: str | None = None) -> Path:
    """Build Tornado's docs from the pinned sdist and keep the objects.inv they write."""
    from tools.tornado_docs import pinned_tornado, prepare

    version = version or pinned_tornado()
    with tempfile.TemporaryDirectory(prefix="tornado-docs-") as tmp:
        docs = prepare(Path(tmp), version)
        print(f"[inventory] building Tornado {version}'s docs with Sphinx {docs.sphinx} ({docs.note})")
        out = Path(tmp, "html")
        docs.build(out, Path(tmp, "doctrees"))
        target = inventory_file("tornado", version)
        INVENTORIES_DIR.mkdir(exist_ok=True)
        shutil.copyfile(out / "objects.inv", target)
    for old in INVENTORIES_DIR.glob("tornado-*.inv"):
        if old != target:
            old.unlink()
    print(f"[inventory] wrote {target.relative_to(TOOLS_DIR.parent)}: {len(read_entries(target))} entries")
    return target


# One entry of a version 2 inventory, as Sphinx reads it: name, domain:role, priority, uri, display name.
ENTRY = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


def keep_python_objects(source: Path, target: Path) -> int:
    """Write the entries of SOURCE in the py domain into TARGET, under SOURCE's header; return their number."""
    header = source.read_bytes().split(b"\n", 4)[:4]
    kept = []
    for entry in read_entries(source):
        match = ENTRY.fullmatch(entry)
        if match and match.group(2).startswith("py:"):
            kept.append(entry)
    target.write_bytes(b"\n".join(header) + b"\n" + zlib.compress(("\n".join(kept) + "\n").encode("utf-8"), 9))
    return len(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.inventory", description=__doc__.splitlines()[0])
    parser.add_argument("version", nargs="?", help="Tornado's version (default: the pinned one)")
    parser.add_argument(
        "--python", type=Path, metavar="OBJECTS_INV",
        help=f"keep the Python objects of this Python {PYTHON_VERSION} objects.inv",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.python is None:
        refresh(args.version)
        return 0
    if not args.python.is_file():
        parser.error(f"{args.python} does not exist (Debian's python{PYTHON_VERSION}-doc installs it)")
    version = read_header(args.python).get("version")
    if version != PYTHON_VERSION:
        parser.error(f"{args.python} is the inventory of Python {version}, not {PYTHON_VERSION}")
    target = inventory_file("python", PYTHON_VERSION)
    count = keep_python_objects(args.python, target)
    print(f"[inventory] wrote {target.relative_to(TOOLS_DIR.parent)}: {count} Python objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
