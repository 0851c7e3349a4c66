"""A real supervisord runs the page's supervisord.conf.

Substituted in the configuration, and nothing else: /srv/guide/run (sockets,
logs, pid file) becomes a temporary folder, /srv/guide/.venv/bin/python the
Python running the tests, /srv/guide the repository root, and numprocs_start
the first of four free consecutive ports.
"""

import os
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from examples.conftest import ROOT, example_env

from .conftest import pid_of, wait_for

BIN = Path(sys.executable).parent
PAGE_CONF = Path(__file__).with_name("supervisord.conf")


def free_run_of_ports(count: int) -> int:
    for _attempt in range(50):
        base = random.randrange(20000, 60000)
        try:
            for port in range(base, base + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free run of ports")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def supervisor(tmp_path):
    base = free_run_of_ports(4)
    text = PAGE_CONF.read_text()
    assert "numprocs = 4" in text and "numprocs_start = 8001" in text
    text = (
        text.replace("/srv/guide/run", str(tmp_path))
        .replace("/srv/guide/.venv/bin/python", sys.executable + " -W error::DeprecationWarning")
        .replace("/srv/guide", str(ROOT))
        .replace("numprocs_start = 8001", f"numprocs_start = {base}")
    )
    conf = tmp_path / "supervisord.conf"
    conf.write_text(text)
    daemon = subprocess.Popen(
        [BIN / "supervisord", "--nodaemon", "-c", conf], env=example_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip

    def ctl(*args):
        return subprocess.run(
            [BIN / "supervisorctl", "-c", conf, *args], capture_output=True, text=True, timeout=30
        )

    try:
        yield base, ctl, tmp_path
    finally:
        if daemon.poll() is None:
            ctl("shutdown")
            try:
                daemon.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait()


def test_supervisord_runs_restarts_and_stops_the_group(supervisor):
    base, ctl, logs = supervisor
    urls = [f"http://127.0.0.1:{port}/" for port in range(base, base + 4)]

    def all_answer():
        try:
            return [pid_of(url) for url in urls]
        except OSError:
            return None

    pids = wait_for(all_answer, what="four processes")
    assert len(set(pids)) == 4

    # Kill one process the hard way: supervisord starts a new one on the same port.
    os.kill(pids[1], signal.SIGKILL)

    def new_pid():
        try:
            pid = pid_of(urls[1])
        except OSError:
            return None
        return pid if pid != pids[1] else None

    replacement = wait_for(new_pid, what="a restarted process")
    assert replacement not in pids

    done = ctl("stop", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tornado:tornado-" in done.stdout and "stopped" in done.stdout
    current = [pids[0], replacement, pids[2], pids[3]]
    assert not any(alive(pid) for pid in current)
    for url in urls:
        with pytest.raises(OSError):
            pid_of(url)
    # SIGTERM made each one stop cleanly (the log of every process says so).
    for port in range(base, base + 4):
        log = (logs / f"tornado-{port}.log").read_text()
        assert "stopped" in log and "Traceback" not in log
    assert ctl("shutdown").returncode == 0
