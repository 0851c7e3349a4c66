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

import asyncio
import email.utils
import http.client
import importlib.util
import json as jsonlib
import os
import re
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import tornado.options

from tools.site import free_port
from tools.transcript import command_argv, normalize_output, output_matches, parse_transcript

ROOT = Path(__file__).resolve().parent.parent
PYTHON = [sys.executable, "-W", "error::DeprecationWarning"]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


def example_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONWARNINGS", None)
    return env


@dataclass
class Response:
    """What a server answered: status, reason, headers (case-insensitive) and body."""

    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return jsonlib.loads(self.body)


def http_request(
    host: str, port: int, method: str, path: str, *, body: bytes | str | None = None,
    form: dict | None = None, json=None, headers: dict | None = None, timeout: float = 10,
    tls: ssl.SSLContext | None = None, source: str | None = None,
) -> Response:  # fmt: skip
    """One HTTP/1.1 request over a new connection; redirects are not followed.

    `form` sends an urlencoded body, `json` a JSON body, `body` raw bytes or text.
    `tls` (an SSL context) makes it HTTPS; `source` is the client's own address.
    """
    headers = dict(headers or {})
    if form is not None:
        body = urlencode(form, doseq=True)
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif json is not None:
        body = jsonlib.dumps(json)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    source_address = (source, 0) if source else None
    if tls is None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=source_address)
    else:
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, source_address=source_address, context=tls
        )  # fmt: skip
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return Response(answer.status, answer.reason, answer.headers, answer.read())
    finally:
        connection.close()


@dataclass
class Session:
    """A client that keeps cookies across requests, as a browser does (for one server)."""

    server: LiveServer
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers.setdefault("Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        response = self.server.request(method, path, headers=headers, **kwargs)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                # clear_cookie() sends an expiry one year in the past, not 1970.
                expired = morsel["max-age"] == "0" or bool(
                    morsel["expires"] and email.utils.parsedate_to_datetime(morsel["expires"]).timestamp() < time.time()
                )
                if expired:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)

    def xsrf_form(self, form: dict | None = None) -> dict:
        """The form with the `_xsrf` token from this session's cookie (fetch a page first)."""
        if "_xsrf" not in self.cookies:
            raise AssertionError("no _xsrf cookie yet: GET a page that renders a form first")
        return {**(form or {}), "_xsrf": self.cookies["_xsrf"]}


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

    def request(self, method: str, path: str, **kwargs) -> Response:
        """Send one request (see http_request); redirects are not followed."""
        return http_request("127.0.0.1", self.port, method, path, **kwargs)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)

    def get_json(self, path: str, **kwargs):
        response = self.get(path, **kwargs)
        assert response.status == 200, f"GET {path}: {response.status} {response.reason}\n{response.text}"
        return response.json()

    def session(self) -> Session:
        return Session(self)

    def wait_for_output(self, pattern: str, timeout: float = 5.0, count: int = 1) -> re.Match:
        """Wait until the server's output holds `count` matches of the regex; return the last."""
        deadline = time.monotonic() + timeout
        while True:
            matches = list(re.finditer(pattern, self.output(), re.MULTILINE))
            if len(matches) >= count:
                return matches[count - 1]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.script.name} did not print {pattern!r} within {timeout} s:\n{self.output()}"
                )
            time.sleep(0.02)

    async def wait_for_output_async(self, pattern: str, timeout: float = 5.0, count: int = 1) -> re.Match:
        """wait_for_output for coroutine tests: the event loop keeps running while it waits."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.wait_for_output(pattern, timeout=0, count=count)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.02)

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


def require_command(command: str, package: str) -> str:
    """The path of a system command a test needs; one clear line if it is missing."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(
            f"{command} is missing: install the Debian package with `apt-get install {package}` (make test does it)",
            pytrace=False,
        )
    return path


def _launch(
    argv: list[str], log: Path, cwd: Path, env: dict[str, str], rlimit_nofile: int | None
) -> subprocess.Popen:  # fmt: skip
    def limit_open_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (rlimit_nofile, rlimit_nofile))

    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=limit_open_files if rlimit_nofile else None,
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
    """Start an example server: start_example("app.py", *args, ...) -> LiveServer.

    The script path is relative to the test file. The fixture passes --port with
    a free port, waits until the server accepts connections, and stops the whole
    process group afterwards, printing the server's output (pytest shows it when
    the test fails). A traceback in the output fails the test unless the example
    is teaching errors (allow_tracebacks=True).

    Options: cwd (run from another folder, e.g. a copy of the project; the script
    path stays relative to the repository root), port (a fixed port instead of a
    free one), wrapper (a command put before python, such as ("nice", "-n", "5")),
    env (extra environment variables), rlimit_nofile (the open-files limit of the
    process, soft and hard).
    """
    servers: list[LiveServer] = []
    here = request.path.parent

    def start(
        name: str, *args: str, allow_tracebacks: bool = False, cwd: Path | None = None,
        port: int | None = None, wrapper: tuple[str, ...] = (), env: dict[str, str] | None = None,
        rlimit_nofile: int | None = None,
    ) -> LiveServer:  # fmt: skip
        script = (here / name).resolve()
        if not script.is_file():
            raise FileNotFoundError(f"no example at {script.relative_to(ROOT)}")
        run_in = Path(cwd) if cwd is not None else ROOT
        relative = script.relative_to(ROOT)
        if not (run_in / relative).is_file():
            raise FileNotFoundError(f"no example at {relative} under {run_in}")
        for _attempt in range(1 if port else 5):
            chosen = port or free_port()
            log = Path(tempfile.mkstemp(prefix=f"{script.stem}-", suffix=".log")[1])
            argv = [*wrapper, *PYTHON, str(relative), f"--port={chosen}", *args]
            process = _launch(argv, log, run_in, {**example_env(), **(env or {})}, rlimit_nofile)
            server = LiveServer(script, chosen, process, log, allow_tracebacks)
            servers.append(server)
            if _wait_until_listening(process, chosen):
                return server
            if "Address already in use" not in server.output():
                pytest.fail(f"{name} exited with code {process.returncode} before listening:\n{server.output()}")
            # Another process took the free port first: forget this attempt and its traceback.
            servers.remove(server)
            server.log.unlink(missing_ok=True)
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


@pytest.fixture
def import_example(request, monkeypatch):
    """Import an example program in the test's own process: import_example("app.py") -> module.

    Examples define their command-line options when imported, and tornado.options allows
    a name once per process: each import gets an option parser of its own, so tests in one
    process can import programs that all define --port.
    """
    here = request.path.parent

    def load(name: str):
        monkeypatch.setattr(tornado.options, "options", tornado.options.OptionParser())
        path = (here / name).resolve()
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


# ---------------------------------------------------------------- transcripts


@pytest.fixture
def replay(request):
    """Replay a transcript file against a live server: each command's output must match.

    The rules (which commands, how the page's port becomes the server's) are in
    tools/transcript.py, with their tests in tests/test_transcript.py.
    """
    here = request.path.parent

    def replay_file(name: str, server: LiveServer | None = None) -> None:
        path = here / name
        for step in parse_transcript(path.read_text(encoding="utf-8")):
            argv = command_argv(step.command, server.port if server else None, PYTHON)
            done = subprocess.run(
                argv, cwd=ROOT, env=example_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, timeout=30,
            )  # fmt: skip
            actual = normalize_output(done.stdout.splitlines())
            expected = normalize_output(step.expected)
            assert output_matches(expected, actual), (
                f"{path.relative_to(ROOT)}: `$ {step.command}` printed:\n"
                + "\n".join(actual)
                + "\n----- but the page shows -----\n"
                + "\n".join(expected)
            )

    return replay_file
