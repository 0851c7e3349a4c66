from urllib.request import urlopen

MODES = ["one process", "several processes", "behind nginx"]


def test_hello_server_answers(start_example):
    server = start_example("hello_server.py", "--processes=2")
    with urlopen(server.url + "/") as response:
        assert response.read() == b"Hello, world\n"


def test_short_benchmark_serves_every_mode_without_errors(run_example):
    # A short run: 1 s per mode, few connections. Only correctness is checked, never speed.
    done = run_example("benchmark.py", "--duration=1", "--connections=8", "--processes=2",
                       timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["mode", "processes", "requests/s", "p50", "ms", "p90", "ms",
                                "p99", "ms", "non-2xx", "errors"]
    rows = {line[:20].strip(): line[20:].split() for line in lines[1:]}
    assert list(rows) == MODES
    for mode, (processes, rps, p50, p90, p99, non_2xx, errors) in rows.items():
        assert processes == ("1" if mode == "one process" else "2")
        assert float(rps) > 0, mode
        assert 0 < float(p50) <= float(p90) <= float(p99), mode
        assert non_2xx == "0" and errors == "0", mode
