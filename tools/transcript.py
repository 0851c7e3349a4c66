"""Terminal transcripts: the `$ command` sessions a page shows, which tests replay."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Step:
    command: str
    expected: list[str]


def parse_transcript(text: str) -> list[Step]:
    """A transcript is commands after "$ " prompts, each followed by the output it prints.

    A line holding only "..." in the output stands for any number of lines.
    """
    steps: list[Step] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append(Step(line[2:], []))
        elif steps:
            steps[-1].expected.append(line.rstrip())
        elif line.strip():
            raise ValueError(f"a transcript starts with a '$ ' command, not {line!r}")
    if not steps:
        raise ValueError("the transcript holds no '$ ' command")
    return steps


def output_matches(expected: list[str], actual: list[str]) -> bool:
    pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None
