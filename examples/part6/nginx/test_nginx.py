"""A real nginx runs the page's nginx.conf in front of four Tornado processes.

Substituted in the configuration, and nothing else: /srv/guide/run (pid file,
logs, temporary folders) becomes a temporary folder, /srv/guide the repository
root, `listen 8080` a free loopback port, and 127.0.0.1:8001-8004 the ports of
the four backends that the test starts.
"""

import http.client
import json
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from examples.conftest import ROOT
from tools.site import free_port

PAGE_CONF = Path(__file__).with_name("nginx.conf")


def get(port, path="/", headers=None, source="127.0.0.1"):
    """GET over a new connection whose client address is `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def nginx(tmp_path):
    """start(backend_ports) -> nginx's port; nginx is stopped at teardown."""
    processes = []

    def start(backend_ports):
        port = free_port()
        text = PAGE_CONF.read_text()
        for n, backend in enumerate(backend_ports, start=1):
            assert f"127.0.0.1:800{n};" in text
            text = text.replace(f"127.0.0.1:800{n};", f"127.0.0.1:{backend};")
        assert "listen 8080;" in text
        text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
        text = text.replace("/srv/guide/run", str(tmp_path)).replace("/srv/guide", str(ROOT))
        conf = tmp_path / "nginx.conf"
        conf.write_text(text)
        base = ["nginx", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        assert "test is successful" in check.stderr
        process = subprocess.Popen(
            [*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        processes.append(process)
        deadline = time.monotonic() + 10
        while not listening(port):
            assert process.poll() is None, (tmp_path / "nginx-error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not listen"
            time.sleep(0.01)
        return port

    yield start
    for process in processes:
        process.send_signal(signal.SIGQUIT)  # graceful shutdown
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def four_backends(start_example):
    return [start_example("backend.py", "--xheaders") for _ in range(4)]


def test_nginx_balances_over_four_processes(nginx, four_backends):
    port = nginx([b.port for b in four_backends])
    seen = set()
    for _ in range(8):
        status, _, body = get(port)
        assert status == 200
        seen.add(json.loads(body)["port"])
    assert seen == {b.port for b in four_backends}


def test_xheaders_gives_the_client_address_and_scheme(nginx, four_backends):
    port = nginx([b.port for b in four_backends])
    # The client connects from 127.0.0.2; nginx connects to Tornado from 127.0.0.1.
    # A forged X-Scheme and X-Real-IP are overwritten by the values nginx sets.
    _, _, body = get(port, headers={"X-Real-IP": "203.0.113.9", "X-Scheme": "https"}, source="127.0.0.2")
    seen = json.loads(body)
    assert seen["remote_ip"] == "127.0.0.2"
    assert seen["protocol"] == "http"


def test_without_xheaders_the_headers_are_ignored(start_example):
    server = start_example("backend.py")
    _, _, body = get(server.port, headers={"X-Real-IP": "203.0.113.9", "X-Scheme": "https"})
    seen = json.loads(body)
    assert seen["remote_ip"] == "127.0.0.1"
    assert seen["protocol"] == "http"


def test_with_xheaders_a_direct_client_can_lie(start_example):
    # Why the backends must be reachable only through nginx.
    server = start_example("backend.py", "--xheaders")
    _, _, body = get(server.port, headers={"X-Real-IP": "203.0.113.9", "X-Scheme": "https"})
    seen = json.loads(body)
    assert seen["remote_ip"] == "203.0.113.9"
    assert seen["protocol"] == "https"


def test_nginx_serves_static_files_itself(nginx, four_backends):
    port = nginx([b.port for b in four_backends])
    status, headers, body = get(port, "/static/style.css")
    assert status == 200
    assert body == (Path(__file__).parent / "static" / "style.css").read_bytes()
    headers = dict(headers)
    assert headers["Content-Type"] == "text/css"
    assert "max-age=2592000" in headers["Cache-Control"]
    status, _, _ = get(port, "/static/missing.css")
    assert status == 404
    # A request that does go to Tornado shows up in a backend's log ...
    get(port, "/")
    deadline = time.monotonic() + 5
    while not any(re.search(r"200 GET / \(", b.output()) for b in four_backends):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # ... but no backend ever saw a /static/ request.
    assert not any("/static/" in b.output() for b in four_backends)
