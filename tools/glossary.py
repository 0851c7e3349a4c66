"""The glossary (docs/glossary.tsv): each English term with the one Chinese term the translation uses."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from tools.project import GLOSSARY_FILE, ROOT


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
