import os
import resource
import signal
import subprocess
import threading
import time

import pytest

from examples.conftest import http_request

from .conftest import pid_of, pids_answering


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signal(start_example, signum):
    server = start_example("server.py")
    assert pid_of(server.port) == server.process.pid
    server.wait_for_output(r"open-file limit: \d+ \(hard limit \d+\)")
    server.wait_for_output(rf"process {server.process.pid} listening on port {server.port}")

    server.process.send_signal(signum)
    assert server.process.wait(5) == 0
    log = server.output()
    assert "shutting down" in log and "stopped" in log
    assert "Traceback" not in log and "KeyboardInterrupt" not in log


def slow_request(server, seconds, answers):
    try:
        answers.append(server.get(f"/work?seconds={seconds}", timeout=10))
    except OSError as error:  # the server closed the connection without an answer
        answers.append(error)


def test_sigterm_lets_a_running_request_finish(start_example):
    server = start_example("server.py")
    answers = []
    client = threading.Thread(target=slow_request, args=(server, 1.5, answers))
    client.start()
    server.wait_for_output(r"work started")
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    server.wait_for_output("shutting down")
    # 1. The listening socket is closed at once: a new connection is refused.
    with pytest.raises(ConnectionRefusedError):
        http_request("127.0.0.1", server.port, "GET", "/", timeout=2)
    # 2. The running request still gets its whole answer ...
    client.join(10)
    [answer] = answers
    assert answer.status == 200 and answer.json()["slept"] == 1.5
    # 3. ... and then the process exits with status 0.
    assert server.process.wait(5) == 0
    assert time.monotonic() - started >= 1.0
    assert "requests still running" not in server.output()


def test_the_drain_has_a_deadline(start_example):
    server = start_example("server.py", "--drain_timeout=0.5")
    answers = []
    client = threading.Thread(target=slow_request, args=(server, 20, answers))
    client.start()
    server.wait_for_output(r"work started")
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(5) == 0
    assert time.monotonic() - started < 3  # not the 20 s that the request wanted
    client.join(10)
    [answer] = answers
    assert isinstance(answer, OSError)  # the connection was closed without an answer
    server.wait_for_output(r"1 requests still running after 0.5 s")


@pytest.mark.parametrize("query", ["seconds=abc", "seconds=-1", "seconds=31", "seconds=nan", "seconds=1e999"])
def test_a_bad_duration_is_a_client_error(start_example, query):
    server = start_example("server.py")
    assert server.get(f"/work?{query}").status == 400


def test_reuse_port_spreads_over_processes(start_example):
    first = start_example("server.py", "--reuse_port")
    # Two more independent processes on the same port.
    others = [start_example("server.py", "--reuse_port", port=first.port) for _ in range(2)]
    # The port already answers (the first process), so that tells nothing about the others:
    # each says when it listens, right before it installs its SIGTERM handler.
    for other in others:
        other.wait_for_output(rf"process {other.process.pid} listening on port")
    pids = {first.process.pid} | {other.process.pid for other in others}
    answered = pids_answering(first.port, want=2)
    assert answered <= pids
    for server in (first, *others):
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(5) == 0


def test_without_reuse_port_a_second_process_fails(start_example, run_example):
    first = start_example("server.py")
    done = run_example("server.py", f"--port={first.port}", timeout=10)
    assert done.returncode != 0
    assert "Address already in use" in done.stderr


def test_the_server_listens_on_loopback_only(start_example):
    server = start_example("server.py")
    for line in open(f"/proc/{server.process.pid}/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.split(":")[1], 16) == server.port:  # 0A: LISTEN
            assert local.split(":")[0] == "0100007F"  # 127.0.0.1
            break
    else:
        raise AssertionError("no listening socket found")


def test_close_all_connections_leaves_websockets_open():
    """Why the page says to close WebSocket handlers yourself."""
    import asyncio

    import tornado.web
    import tornado.websocket
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    class Echo(tornado.websocket.WebSocketHandler):
        def on_message(self, message):
            self.write_message(message)

    async def scenario():
        [sock] = bind_sockets(0, address="127.0.0.1")
        server = HTTPServer(tornado.web.Application([(r"/ws", Echo)], websocket_max_message_size=1024))
        server.add_sockets([sock])
        url = f"ws://127.0.0.1:{sock.getsockname()[1]}/ws"
        client = await tornado.websocket.websocket_connect(url)
        server.stop()
        await asyncio.wait_for(server.close_all_connections(), 5)
        await client.write_message("still open")
        answer = await asyncio.wait_for(client.read_message(), 5)
        client.close()
        return answer

    assert asyncio.run(scenario()) == "still open"


def run_as_unprivileged(script: str) -> subprocess.CompletedProcess:
    argv = ["bash", "-c", script]
    if os.geteuid() == 0:  # root may raise a hard limit again; nobody may not
        argv = ["runuser", "-u", "nobody", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


def test_ulimit_n_without_s_lowers_the_hard_limit_for_good():
    done = run_as_unprivileged("ulimit -n 1000; ulimit -Hn; ulimit -n 2000")
    assert done.stdout.split()[0] == "1000"  # the hard limit went down with the soft one
    assert done.returncode != 0 and "ulimit" in done.stderr  # and cannot go up again


def test_ulimit_sn_changes_only_the_soft_limit():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    done = run_as_unprivileged("ulimit -Sn 1000; ulimit -Sn; ulimit -Hn; ulimit -Sn 2000; ulimit -Sn")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1000", str(hard), "2000"]
