"""Draw a seeded random sample of long catalog entries, for a reviewer to rate.

    python -m tools.translation_sample --seed 20261204 [--rev COMMIT] [--language zh_CN] [--json]

A reviewer who did not write the translation rates a random sample of entries as faithful, minor or
wrong (MAINTAINING.md, "Reviewing the translation"; the results are kept in
reports/translation-samples.md). The draw must be repeatable, so that anyone can check
which entries were rated:

- the population is every entry of the language's catalogs whose English has at least
  150 characters (the sentences where a translation goes wrong), leaving out what comes
  from a program rather than a page's prose: comments and docstrings of example programs
  (tools/code_comments.py files them at the page's literalinclude line), entries located
  in examples/ or in a file that is not a page, and the theme's words (extracted comments);
- it is sorted by catalog and line, then random.sample() draws 30 with the given seed;
- --rev reads the catalogs and pages from a commit, not from the working tree, since
  every edit of a catalog changes the population.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
from dataclasses import asdict, dataclass

from babel.messages.pofile import read_po

from tools.languages import TRANSLATIONS
from tools.project import ROOT

SAMPLE_SIZE = 30
SHORTEST = 150  # characters of English


@dataclass
class Entry:
    catalog: str  # relative to LC_MESSAGES
    line: int
    locations: list[str]
    english: str
    translation: str


class Tree:
    """The repository's files, from the working tree or from one commit."""

    def __init__(self, rev: str | None):
        self.rev = rev

    def read(self, path: str) -> str:
        if self.rev is None:
            return (ROOT / path).read_text(encoding="utf-8")
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{self.rev}:{path}"], capture_output=True, check=True)
        return shown.stdout.decode("utf-8")

    def catalogs(self, language: str) -> list[str]:
        folder = f"locale/{language}/LC_MESSAGES/"
        if self.rev is None:
            names = [path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*.po")]
        else:
            listed = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", self.rev, folder],
                                    capture_output=True, check=True, text=True)  # fmt: skip
            names = [name for name in listed.stdout.splitlines() if name.endswith(".po")]
        return sorted(name.removeprefix(folder) for name in names)

    def source_line(self, location: str, line: int) -> str:
        """The line of a page that a catalog location (../../docs/part1/page.md) names."""
        path = location[location.index("docs/") :]
        try:
            return self.read(path).splitlines()[line - 1]
        except (OSError, IndexError, subprocess.CalledProcessError):
            return ""


def from_a_program(tree: Tree, message) -> bool:
    if message.auto_comments:  # the theme's words carry where they come from
        return True
    for location, line in message.locations:
        location = location.replace("\\", "/")
        if "examples/" in location or not location.endswith(".md"):
            return True
        if line and "literalinclude" in tree.source_line(location, int(line)):
            return True
    return False


def population(tree: Tree, language: str) -> list[Entry]:
    entries = []
    for name in tree.catalogs(language):
        catalog = read_po(io.StringIO(tree.read(f"locale/{language}/LC_MESSAGES/{name}")))
        for message in catalog:
            if not isinstance(message.id, str) or len(message.id) < SHORTEST or from_a_program(tree, message):
                continue
            locations = [f"{location}:{line}" for location, line in message.locations]
            entries.append(Entry(name, message.lineno, locations, message.id, message.string))
    return sorted(entries, key=lambda entry: (entry.catalog, entry.line))


def draw(tree: Tree, language: str, seed: int) -> tuple[int, list[Entry]]:
    """How many entries qualify, and the sample."""
    entries = population(tree, language)
    return len(entries), random.Random(seed).sample(entries, min(SAMPLE_SIZE, len(entries)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.translation_sample", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True, help="a new seed for each review (the date, say)")
    parser.add_argument("--rev", help="read the catalogs and pages from this commit (default: the working tree)")
    parser.add_argument("--language", default=TRANSLATIONS[0], choices=TRANSLATIONS)
    parser.add_argument("--json", action="store_true", help="print the sample as JSON")
    args = parser.parse_args(argv)
    size, sample = draw(Tree(args.rev), args.language, args.seed)
    where = f"commit {args.rev}" if args.rev else "the working tree"
    if args.json:
        found = {"seed": args.seed, "rev": args.rev, "population": size, "sample": [asdict(e) for e in sample]}
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return 0
    print(f"seed {args.seed}: {len(sample)} of {size} qualifying entries ({where})")
    for number, entry in enumerate(sample, 1):
        print(f"\n#{number} {entry.catalog}:{entry.line}  ({', '.join(entry.locations)})")
        print("EN:", entry.english)
        print("ZH:" if args.language.startswith("zh") else "TR:", entry.translation)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
