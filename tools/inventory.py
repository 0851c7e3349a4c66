"""Tornado's intersphinx inventory: API names on the pages link to Tornado's own reference.

The inventory is Tornado's real objects.inv for the pinned release, kept in
tools/inventories/, so that building needs no network and links only to what Tornado
documents. `make inventory` (python -m tools.inventory) refreshes it: it downloads the
pinned sdist, builds its docs/ with the Sphinx Tornado pins (tools/tornado_docs.py), and
keeps the objects.inv that build writes.

Other projects' inventories (Python's standard library, say) belong in the same folder,
named <project>-<version>.inv, with their entry in conf.py's intersphinx_mapping.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zlib
from pathlib import Path

from tools.project import TOOLS_DIR

TORNADO_DOCS = "https://www.tornadoweb.org/en/stable/"
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


if __name__ == "__main__":
    refresh(*sys.argv[1:2])
    sys.exit(0)
