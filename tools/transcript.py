"""Terminal transcripts: the `$ command` sessions a page shows, which tests replay."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

# The port the pages use in commands a reader types; a replay puts the test server's port there.
PAGE_PORT = "8888"


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


def normalize_output(lines: list[str]) -> list[str]:
    """Lines as compared: trailing spaces and trailing blank lines do not count."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def command_argv(command: str, port: int | None, python: list[str]) -> list[str]:
    """The argument list that replays a transcript command.

    The page's address (localhost or 127.0.0.1 on PAGE_PORT, and --port=PAGE_PORT)
    becomes the test server's port. curl runs silently (no progress meter, as in a
    terminal) but shows errors; python is the `python` argument list given, which
    turns deprecation warnings into errors. Any other program is refused.
    """
    if port is not None:
        command = re.sub(rf"\b(localhost|127\.0\.0\.1):{PAGE_PORT}\b", f"127.0.0.1:{port}", command)
        command = command.replace(f"--port={PAGE_PORT}", f"--port={port}")
    argv = shlex.split(command)
    if argv[0] == "curl":
        return ["curl", "--silent", "--show-error", *argv[1:]]
    if argv[0] == "python":
        return [*python, *argv[1:]]
    raise ValueError(f"a transcript may run curl or python, not {argv[0]!r}")
