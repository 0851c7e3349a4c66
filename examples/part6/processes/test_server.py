import signal
import subprocess

import pytest

from examples.conftest import PYTHON, ROOT, example_env

from .conftest import pid_of, pids_answering, wait_for


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signal(start_example, signum):
    server = start_example("server.py")
    assert pid_of(server.url + "/") == server.process.pid
    log = server.output()
    assert "open-file limit: " in log
    assert f"process {server.process.pid} listening on port {server.port}" in log

    server.process.send_signal(signum)
    assert server.process.wait(5) == 0
    log = server.output()
    assert "shutting down" in log and "stopped" in log
    assert "Traceback" not in log and "KeyboardInterrupt" not in log


def test_reuse_port_spreads_over_processes(start_example, tmp_path):
    first = start_example("server.py", "--reuse_port")
    # Two more independent processes on the same port.
    others = []
    try:
        for n in range(2):
            log = tmp_path / f"other-{n}.log"
            with log.open("wb") as out:
                others.append(
                    (subprocess.Popen(
                        [*PYTHON, "examples/part6/processes/server.py",
                         f"--port={first.port}", "--reuse_port"],
                        cwd=ROOT, env=example_env(), stdout=out, stderr=subprocess.STDOUT,
                    ), log)
                )  # fmt: skip
        for process, log in others:
            wait_for(lambda: "listening on port" in log.read_text(), what="a second process")
        pids = {first.process.pid} | {process.pid for process, _ in others}
        answered = pids_answering(first.url + "/", want=2)
        assert answered <= pids
    finally:
        for process, log in others:
            process.send_signal(signal.SIGTERM)
            assert process.wait(5) == 0
            assert "Traceback" not in log.read_text()


def test_without_reuse_port_a_second_process_fails(start_example, run_example):
    first = start_example("server.py")
    done = run_example("server.py", f"--port={first.port}", timeout=10)
    assert done.returncode != 0
    assert "Address already in use" in done.stderr
