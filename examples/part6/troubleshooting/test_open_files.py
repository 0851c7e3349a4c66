import errno
import resource
import socket
import subprocess
from pathlib import Path

from examples.conftest import PYTHON, example_env

HERE = Path(__file__).resolve().parent
LOW = 32


def lower_soft_limit():
    # Runs in the child between fork and exec: only the child's limit changes.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (LOW, hard))


def run_child(code):
    return subprocess.run(
        [*PYTHON, "-c", code],
        cwd=HERE,
        env=example_env(),
        preexec_fn=lower_soft_limit,
        capture_output=True,
        text=True,
        timeout=10,
    )


# Opens up to 200 sockets; prints how many it got and, on failure, why.
EXHAUST = """
import socket
sockets = []
try:
    while len(sockets) < 200:
        sockets.append(socket.socket())
    print(len(sockets), 0, "no error")
except OSError as error:
    print(len(sockets), error.errno, error.strerror)
"""


def test_prints_and_raises_the_soft_limit(run_example):
    done = run_example("open_files.py")
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.splitlines()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert before == f"before: soft limit {soft}, hard limit {hard}"
    assert after == f"after: soft limit {hard}, hard limit {hard}"


def test_a_low_limit_gives_emfile():
    done = run_child(EXHAUST)
    count, code, message = done.stdout.split(maxsplit=2)
    # A few descriptors are already taken (stdin, stdout, stderr, Python's own files).
    assert 0 < int(count) < LOW
    assert int(code) == errno.EMFILE
    assert message.strip() == "Too many open files"


def test_raising_the_soft_limit_removes_the_error():
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[1] > 200
    done = run_child("from open_files import raise_open_files_limit\nraise_open_files_limit()\n" + EXHAUST)
    assert done.stdout.split(maxsplit=2) == ["200", "0", "no error\n"], done.stderr


def test_a_server_at_the_limit_logs_errors_and_recovers(start_example):
    # The hello world server of the performance page, started with the open-file
    # limit lowered to 32 (the only change).
    server = start_example("../performance/hello_server.py", rlimit_nofile=LOW, allow_tracebacks=True)
    # More idle connections than the server may hold descriptors for.
    clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2 * LOW)]
    try:
        server.wait_for_output(r"OSError: \[Errno 24\] Too many open files")
        assert server.process.poll() is None  # the process keeps running
    finally:
        for client in clients:
            client.close()
    # Once the idle connections are gone, the server accepts and answers again.
    assert server.get("/").body == b"Hello, world\n"
