"""Live-server fixtures for the examples.

Every example is a program a reader runs by hand, so the tests run it the same
way: as a real process, from the repository root, on a free loopback port.

    def test_hello(start_example, replay):
        server = start_example("hello.py")           # path relative to the test file
        assert urlopen(server.url + "/").read() == b"Hello, world"
        replay("hello.console", server)              # the transcript the page shows

Examples run with DeprecationWarning as an error, so a deprecated API fails its test.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.site import free_port
from tools.transcript import output_matches, parse_transcript

ROOT = Path(__file__).resolve().parent.parent
PYTHON = [sys.executable, "-W", "error::DeprecationWarning"]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
# The host and port the pages use in commands a reader types.
PAGE_PORT = "8888"


def example_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONWARNINGS", None)
    return env


@dataclass
class LiveServer:
    """An example running as a server process."""

    script: Path
    port: int
    process: subprocess.Popen
    log: Path
    allow_tracebacks: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """End the whole process group: SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _launch(script: Path, args: tuple[str, ...], log: Path, port: int) -> subprocess.Popen:
    command = [*PYTHON, str(script.relative_to(ROOT)), f"--port={port}", *args]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=example_env(), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip


def _wait_until_listening(process: subprocess.Popen, port: int) -> bool:
    """True once the port accepts connections; False if the process exits first."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if _listening(port):
            return True
        time.sleep(0.01)
    raise TimeoutError(f"the server did not listen on port {port} within {START_TIMEOUT} s")


@pytest.fixture
def start_example(request):
    """Start an example server: start_example("app.py", *args, allow_tracebacks=False).

    The script path is relative to the test file. The fixture passes --port with
    a free port, waits until the server accepts connections, and stops the whole
    process group afterwards, printing the server's output (pytest shows it when
    the test fails). A traceback in the output fails the test unless the example
    is teaching errors (allow_tracebacks=True).
    """
    servers: list[LiveServer] = []
    here = request.path.parent

    def start(name: str, *args: str, allow_tracebacks: bool = False) -> LiveServer:
        script = (here / name).resolve()
        if not script.is_file():
            raise FileNotFoundError(f"no example at {script.relative_to(ROOT)}")
        for _attempt in range(5):
            port = free_port()
            log = Path(tempfile.mkstemp(prefix=f"{script.stem}-", suffix=".log")[1])
            process = _launch(script, args, log, port)
            server = LiveServer(script, port, process, log, allow_tracebacks)
            servers.append(server)
            if _wait_until_listening(process, port):
                return server
            if "Address already in use" not in server.output():
                pytest.fail(f"{name} exited with code {process.returncode} before listening:\n{server.output()}")
        pytest.fail(f"{name} found no free port after 5 attempts")

    yield start

    problems = []
    for server in servers:
        code = server.stop()
        output = server.output()
        server.log.unlink(missing_ok=True)
        print(f"----- output of {server.script.name} (port {server.port}, exit {code}) -----\n{output}")
        if "Traceback (most recent call last)" in output and not server.allow_tracebacks:
            problems.append(f"{server.script.name} logged a traceback:\n{output}")
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def run_example(request):
    """Run an example that is a script, not a server: run_example("tool.py", *args) -> CompletedProcess."""
    here = request.path.parent

    def run(name: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
        script = (here / name).resolve()
        return subprocess.run(
            [*PYTHON, str(script.relative_to(ROOT)), *args], cwd=ROOT, env=example_env(),
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    return run


# ---------------------------------------------------------------- transcripts


def _command_for(step, server: LiveServer | None) -> list[str]:
    command = step.command
    if server is not None:
        command = re.sub(rf"\b(localhost|127\.0\.0\.1):{PAGE_PORT}\b", f"127.0.0.1:{server.port}", command)
        command = command.replace(f"--port={PAGE_PORT}", f"--port={server.port}")
    argv = shlex.split(command)
    if argv[0] == "curl":
        return ["curl", "--silent", "--show-error", *argv[1:]]  # no progress meter, as in a terminal
    if argv[0] == "python":
        return [*PYTHON, *argv[1:]]
    raise ValueError(f"a transcript may run curl or python, not {argv[0]!r}")


@pytest.fixture
def replay(request):
    """Replay a transcript file against a live server: each command's output must match."""
    here = request.path.parent

    def replay_file(name: str, server: LiveServer | None = None) -> None:
        path = here / name
        for step in parse_transcript(path.read_text(encoding="utf-8")):
            argv = _command_for(step, server)
            done = subprocess.run(
                argv, cwd=ROOT, env=example_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, timeout=30,
            )  # fmt: skip
            actual = [line.rstrip() for line in done.stdout.splitlines()]
            while actual and not actual[-1]:
                actual.pop()
            expected = list(step.expected)
            while expected and not expected[-1]:
                expected.pop()
            assert output_matches(expected, actual), (
                f"{path.relative_to(ROOT)}: `$ {step.command}` printed:\n"
                + "\n".join(actual)
                + "\n----- but the page shows -----\n"
                + "\n".join(expected)
            )

    return replay_file
