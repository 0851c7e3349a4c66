from examples.conftest import require_command

MODES = ["one process", "several processes", "behind nginx"]


def test_hello_server_answers(start_example):
    server = start_example("hello_server.py", "--processes=2")
    assert server.get("/").body == b"Hello, world\n"


def test_short_benchmark_serves_every_mode_without_errors(run_example):
    require_command("wrk", "wrk")
    require_command("nginx", "nginx")
    # A short run: 1 s per run, two runs per mode, few connections.
    # Only correctness is checked, never speed.
    done = run_example(
        "benchmark.py", "--duration=1", "--runs=2", "--warmup=1", "--connections=8", "--processes=2", timeout=90
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["mode", "processes", "median/s", "min/s", "max/s", "non-2xx", "errors"]
    rows = {line[:20].strip(): line[20:].split() for line in lines[1:]}
    assert list(rows) == MODES
    for mode, (processes, median, low, high, non_2xx, errors) in rows.items():
        assert processes == ("1" if mode == "one process" else "2")
        assert 0 < float(low) <= float(median) <= float(high), mode
        assert non_2xx == "0" and errors == "0", mode


def test_a_missing_tool_is_named(run_example):
    done = run_example("benchmark.py", "--wrk=/nonexistent/wrk", timeout=30)
    assert done.returncode == 2
    assert "/nonexistent/wrk not found: install it (apt-get install wrk) or pass --wrk" in done.stderr


def test_stopping_a_setup_ends_the_forked_children_too(tmp_path):
    import time
    from pathlib import Path

    from examples.part6.performance import benchmark

    port = benchmark.free_port()
    with open(tmp_path / "servers.log", "wb") as log:
        parent = benchmark.start(benchmark.tornado_command(port, 2), log)
        benchmark.wait_for_port(port, parent)
        children_file = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
        deadline = time.monotonic() + 10
        while len(children := children_file.read_text().split()) < 2:
            assert time.monotonic() < deadline, "the children did not start"
            time.sleep(0.05)
        benchmark.stop(parent)

    def running(pid):  # a process that has exited but not been reaped yet is a zombie (Z)
        try:
            return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 5
    while any(running(pid) for pid in children):
        assert time.monotonic() < deadline, "a child is still running"
        time.sleep(0.05)
