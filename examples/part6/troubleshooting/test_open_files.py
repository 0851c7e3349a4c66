import errno
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from tools.site import free_port

HERE = Path(__file__).resolve().parent
LOW = 32


def lower_soft_limit():
    # Runs in the child between fork and exec: only the child's limit changes.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (LOW, hard))


def run_child(code):
    return subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", code],
                          cwd=HERE, preexec_fn=lower_soft_limit, capture_output=True,
                          text=True, timeout=10)


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
    done = run_child("from open_files import raise_open_files_limit\n"
                     "raise_open_files_limit()\n" + EXHAUST)
    assert done.stdout.split(maxsplit=2) == ["200", "0", "no error\n"], done.stderr


def test_a_server_at_the_limit_logs_errors_and_recovers(tmp_path):
    # The hello world server of the performance page, started with the soft limit lowered
    # to 32 (the only change); its log goes to a file in tmp_path.
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-W", "error::DeprecationWarning",
             str(HERE.parent / "performance" / "hello_server.py"), f"--port={port}"],
            preexec_fn=lower_soft_limit, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    clients = []
    try:
        wait_until(lambda: connects(port))
        # More idle connections than the server may hold descriptors for.
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(2 * LOW)]
        wait_until(lambda: "OSError: [Errno 24] Too many open files" in log.read_text())
        assert server.poll() is None  # the process keeps running
        for client in clients:
            client.close()
        # Once the idle connections are gone, the server accepts and answers again.
        with urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.read() == b"Hello, world\n"
    finally:
        for client in clients:
            client.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(5)


def connects(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
