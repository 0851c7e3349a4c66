"""Helpers for the multi-process examples: ask a server which process answered."""

import os
import time

from examples.conftest import http_request


def pid_of(port: int) -> int:
    """GET / over a new connection and return the pid that the server reports."""
    return http_request("127.0.0.1", port, "GET", "/", timeout=5).json()["pid"]


def pids_answering(port: int, want: int, timeout: float = 10.0) -> set[int]:
    """Send requests, each on a new connection, until `want` different pids have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < want:
        assert time.monotonic() < deadline, f"only pids {seen} answered"
        seen.add(pid_of(port))
    return seen


def wait_for(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return result


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
