"""The glossary (docs/glossary.tsv) and the jieba dictionary made from it for Chinese search."""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from tools.project import BUILD_DIR, GLOSSARY_FILE, ROOT, write_if_changed


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
    write_if_changed(path, "".join(f"{word} 100000 n\n" for word in words).encode("utf-8"))
    return path


def quiet_jieba() -> None:
    """jieba logs its dictionary loading at DEBUG level to stderr; keep build output clean."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
