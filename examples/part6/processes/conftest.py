"""Helpers for the multi-process examples: ask a server which process answered."""

import json
import time
from urllib.request import urlopen


def pid_of(url: str) -> int:
    """GET url over a new connection and return the pid the server reports."""
    with urlopen(url, timeout=5) as response:
        return json.loads(response.read())["pid"]


def pids_answering(url: str, want: int, timeout: float = 10.0) -> set[int]:
    """Send requests, each on a new connection, until `want` different pids have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < want:
        assert time.monotonic() < deadline, f"only pids {seen} answered"
        seen.add(pid_of(url))
    return seen


def wait_for(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return result
