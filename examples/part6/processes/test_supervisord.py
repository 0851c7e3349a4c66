"""A real supervisord runs the page's supervisord.conf.

Substituted in the configuration, and nothing else: /srv/guide/run (sockets,
logs, pid file) becomes a temporary folder, /srv/guide/.venv/bin/python the
Python running the tests (with the examples' warning flags), /srv/guide the
repository root, and numprocs_start the first of four free consecutive ports.
`user = nobody` stays when the tests run as root and nobody can run the
example (read the checkout and the venv's Python); otherwise it becomes the
user running the tests, and the test says so in its output; the last test then
shows with a plain command that supervisord does switch to nobody.
`minfds = 65536` stays if the hard limit may be raised that far; a container
without CAP_SYS_RESOURCE cannot, even as root, and then it becomes the current
hard limit (with 65536, supervisord would refuse to start).
"""

import getpass
import os
import pwd
import random
import resource
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from examples.conftest import PYTHON, ROOT, example_env, require_command

from .conftest import alive, pid_of, wait_for

BIN = Path(sys.executable).parent
PAGE_CONF = Path(__file__).with_name("supervisord.conf")
SERVER = "examples/part6/processes/server.py"


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


def nobody_can_run_the_example() -> bool:
    """As root: can the user nobody read the checkout and import Tornado from the venv?"""
    if os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [require_command("runuser", "util-linux"), "-u", "nobody", "--", *PYTHON, "-c",
         f"import tornado.web; open({SERVER!r}).close()"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    return probe.returncode == 0


def can_raise_open_files_to(limit: int) -> bool:
    """Root may raise its hard limit, except in a container without CAP_SYS_RESOURCE."""
    probe = subprocess.run(
        [sys.executable, "-c", f"import resource; resource.setrlimit(resource.RLIMIT_NOFILE, ({limit}, {limit}))"],
        capture_output=True, timeout=30,
    )  # fmt: skip
    return probe.returncode == 0


@pytest.fixture
def supervisor(tmp_path):
    base = free_run_of_ports(4)
    text = PAGE_CONF.read_text()
    for line in (
        "numprocs = 4",
        "numprocs_start = 8001",
        "user = nobody",
        "minfds = 65536",
        "stopasgroup = true",
        "killasgroup = true",
    ):
        assert line in text, line
    run_as = "nobody" if nobody_can_run_the_example() else getpass.getuser()
    if run_as != "nobody":
        print(f"user = nobody replaced by {run_as}: nobody cannot run the example here")
    minfds = 65536 if can_raise_open_files_to(65536) else resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if minfds != 65536:
        print(f"minfds = 65536 replaced by {minfds}: the hard limit cannot be raised here")
    text = (
        text.replace("/srv/guide/run", str(tmp_path))
        .replace("/srv/guide/.venv/bin/python", shlex.join(PYTHON))
        .replace("/srv/guide", str(ROOT))
        .replace("numprocs_start = 8001", f"numprocs_start = {base}")
        .replace("user = nobody", f"user = {run_as}")
        .replace("minfds = 65536", f"minfds = {minfds}")
    )
    conf = tmp_path / "supervisord.conf"
    conf.write_text(text)
    os.chmod(tmp_path, 0o755)  # supervisord creates the socket here, the logs too
    daemon = subprocess.Popen(
        [BIN / "supervisord", "--nodaemon", "-c", conf], env=example_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip

    def ctl(*args):
        return subprocess.run([BIN / "supervisorctl", "-c", conf, *args], capture_output=True, text=True, timeout=30)

    try:
        yield base, ctl, tmp_path, run_as, minfds
    finally:
        if daemon.poll() is None:
            ctl("shutdown")
            try:
                daemon.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait()


def owner_of(pid: int) -> str:
    return pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name


def test_supervisord_runs_restarts_and_stops_the_group(supervisor):
    base, ctl, logs, run_as, minfds = supervisor
    ports = range(base, base + 4)

    def all_answer():
        try:
            return [pid_of(port) for port in ports]
        except OSError:
            return None

    pids = wait_for(all_answer, timeout=20, what="four processes")
    assert len(set(pids)) == 4
    # Each program leads a process group of its own, which stopasgroup signals.
    assert all(os.getpgid(pid) == pid for pid in pids)
    # user = nobody: the servers do not run as root.
    assert {owner_of(pid) for pid in pids} == {run_as}
    # minfds: supervisord raised the open-file limit that the servers inherit.
    for port in ports:
        log = (logs / f"tornado-{port}.log").read_text()
        assert f"open-file limit: {minfds} " in log

    # Kill one process the hard way: supervisord starts a new one on the same port.
    os.kill(pids[1], signal.SIGKILL)

    def new_pid():
        try:
            pid = pid_of(ports[1])
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
    for port in ports:
        with pytest.raises(OSError):
            pid_of(port)
    # SIGTERM made each one stop cleanly (the log of every process says so).
    for port in ports:
        log = (logs / f"tornado-{port}.log").read_text()
        assert "stopped" in log and "Traceback" not in log
    assert ctl("shutdown").returncode == 0


def test_user_makes_supervisord_run_the_program_as_that_user(tmp_path):
    """The same [program] settings with a command that any user can run: `id -un`."""
    if os.geteuid() != 0:
        pytest.skip("only root can switch users; supervisord refuses user= otherwise")
    text = PAGE_CONF.read_text().replace("/srv/guide/run", str(tmp_path))
    text = text.replace("minfds = 65536", f"minfds = {resource.getrlimit(resource.RLIMIT_NOFILE)[1]}")
    text = text.replace("numprocs = 4", "numprocs = 1").replace("autorestart = true", "autorestart = false")
    command = next(line for line in text.splitlines() if line.startswith("command = "))
    text = text.replace(command, "command = /bin/sh -c 'id -un; sleep 30'").replace(
        "directory = /srv/guide", "directory = /"
    )
    conf = tmp_path / "supervisord.conf"
    conf.write_text(text)
    daemon = subprocess.Popen(
        [BIN / "supervisord", "--nodaemon", "-c", conf],
        env=example_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        log = tmp_path / "tornado-8001.log"
        wait_for(lambda: log.is_file() and log.read_text().strip(), what="the program's output")
        assert log.read_text().split() == ["nobody"]
    finally:
        subprocess.run([BIN / "supervisorctl", "-c", conf, "shutdown"], capture_output=True, timeout=30)
        try:
            daemon.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
