"""Helpers for the tests: a free port, and a copy of the project as a fresh checkout has it."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from tools.languages import LOCAL_HOST
from tools.project import ROOT


def free_port(host: str = LOCAL_HOST) -> int:
    """A port that nothing listens on now (for tests; the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def copy_project(target: Path) -> Path:
    """Copy the project as a fresh checkout has it: no git data, virtualenv, npm packages or build output."""
    local_state = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "_build", "__pycache__", "*.mo", ".pytest_cache"
    )
    shutil.copytree(ROOT, target, ignore=local_state)
    return target
