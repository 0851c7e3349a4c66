"""A real nginx runs the page's nginx.conf in front of four Tornado processes.

Substituted in the configuration, and nothing else: /srv/guide/run (pid file,
logs, temporary folders) and /srv/guide/tls (a self-signed certificate that the
test makes with openssl) become a temporary folder, `listen 8080` and
`listen 8443` two free loopback ports, 127.0.0.1:8001-8004 the ports of the
four backends that the test starts, and the static folder a copy of it.

Why a copy: when the tests run as root, nginx's worker processes run as the
user nobody, who may not be able to read the checkout (a home folder of mode
0700, say); they would answer 403 for /static/. The copy lives in a temporary
folder that every user can read, as a real deployment's static folder is.
"""

import asyncio
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.websocket

from examples.conftest import http_request, require_command
from tools.site import free_port

HERE = Path(__file__).parent
PAGE_CONF = HERE / "nginx.conf"


def request(port, path="/", *, method="GET", headers=None, body=None, source="127.0.0.1", tls=None):
    """One request over a new connection whose client address is `source`.

    Host is localhost:<port>, as a browser sends it for http://localhost:<port>/,
    unless `headers` says otherwise. `tls` is an SSL context for HTTPS.
    """
    headers = {"Host": f"localhost:{port}", **(headers or {})}
    if tls is not None:  # the certificate names localhost
        return http_request("localhost", port, method, path, body=body, headers=headers, tls=tls)
    return http_request("127.0.0.1", port, method, path, body=body, headers=headers, source=source)


def listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def make_certificate(folder: Path) -> None:
    """A self-signed certificate for localhost, as openssl makes it."""
    folder.mkdir()
    done = subprocess.run(
        [require_command("openssl", "openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


class Nginx:
    def __init__(self, run: Path, port: int, tls_port: int, backends: list[int], process):
        self.run, self.port, self.tls_port, self.backends, self.process = run, port, tls_port, backends, process
        self.tls = ssl.create_default_context(cafile=run / "tls" / "cert.pem")

    def error_log(self) -> str:
        return (self.run / "nginx-error.log").read_text()


@pytest.fixture
def nginx():
    """start(backend_ports, edit=None) -> Nginx; nginx is stopped and its folder removed at teardown."""
    nginx_command = require_command("nginx", "nginx")
    started = []

    def start(backend_ports, edit=None):
        run = Path(tempfile.mkdtemp(prefix="guide-nginx-"))
        run.chmod(0o755)  # nginx's workers (user nobody when started as root) must reach it
        started.append(run)
        shutil.copytree(HERE / "static", run / "static")
        make_certificate(run / "tls")
        port, tls_port = free_port(), free_port()
        text = PAGE_CONF.read_text()
        for n, backend in enumerate(backend_ports, start=1):
            assert f"127.0.0.1:800{n};" in text
            text = text.replace(f"127.0.0.1:800{n};", f"127.0.0.1:{backend};")
        for page_port, real in (("8080", port), ("8443", tls_port)):
            assert f"listen {page_port}" in text
            text = text.replace(f"listen {page_port}", f"listen 127.0.0.1:{real}")
        static = "/srv/guide/examples/part6/nginx/static/"
        assert static in text
        text = text.replace(static, f"{run}/static/")
        text = text.replace("/srv/guide/run", str(run)).replace("/srv/guide/tls", str(run / "tls"))
        assert "/srv/guide" not in text
        if edit:
            text = edit(text)
        conf = run / "nginx.conf"
        conf.write_text(text)
        base = [nginx_command, "-p", str(run), "-c", str(conf), "-e", "stderr"]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        assert "test is successful" in check.stderr
        process = subprocess.Popen(
            [*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        server = Nginx(run, port, tls_port, backend_ports, process)
        started.append(server)
        deadline = time.monotonic() + 10
        while not (listening(port) and listening(tls_port)):
            assert process.poll() is None, server.error_log()
            assert time.monotonic() < deadline, "nginx did not listen"
            time.sleep(0.01)
        return server

    yield start
    for item in started:
        if isinstance(item, Nginx):
            item.process.send_signal(signal.SIGQUIT)  # graceful shutdown
            try:
                item.process.wait(10)
            except subprocess.TimeoutExpired:
                item.process.kill()
                item.process.wait()
    for item in started:
        if isinstance(item, Path):
            shutil.rmtree(item, ignore_errors=True)


@pytest.fixture
def four_backends(start_example):
    return [start_example("backend.py", "--xheaders") for _ in range(4)]


@pytest.fixture
def site(nginx, four_backends):
    return nginx([b.port for b in four_backends])


def test_nginx_takes_the_four_processes_in_turn(site, four_backends):
    # With `zone`, every nginx worker shares one round robin: any four
    # requests in a row, each on a new connection, reach four different processes.
    ports = [request(site.port).json()["port"] for _ in range(12)]
    for start in range(0, 12, 4):
        assert sorted(ports[start : start + 4]) == sorted(b.port for b in four_backends), ports


def test_host_keeps_the_port_the_client_asked_for(site):
    seen = request(site.port).json()
    assert seen["host"] == f"localhost:{site.port}"  # $host would drop the port


def test_xheaders_gives_the_client_address_and_scheme(site):
    # The client connects from 127.0.0.2; nginx connects to Tornado from 127.0.0.1.
    # A forged X-Scheme and X-Real-IP are overwritten by the values nginx sets.
    forged = {"X-Real-IP": "203.0.113.9", "X-Scheme": "https"}
    seen = request(site.port, headers=forged, source="127.0.0.2").json()
    assert seen["remote_ip"] == "127.0.0.2"
    assert seen["protocol"] == "http"


def test_https_server_block(site):
    answer = request(site.tls_port, tls=site.tls)
    assert answer.status == 200
    seen = answer.json()
    assert seen["protocol"] == "https" and seen["host"] == f"localhost:{site.tls_port}"


def test_other_host_names_are_refused(site, four_backends):
    answer = request(site.port, headers={"Host": "evil.example"})
    assert answer.status == 421
    # Over HTTPS, a name other than the site's ends the TLS handshake.
    context = ssl.create_default_context(cafile=site.run / "tls" / "cert.pem")
    context.check_hostname = False
    with socket.create_connection(("127.0.0.1", site.tls_port)) as raw:
        with pytest.raises(ssl.SSLError):
            context.wrap_socket(raw, server_hostname="evil.example")
    assert not any("evil.example" in b.output() for b in four_backends)


def test_server_tokens_off_hides_the_version(site):
    for path in ("/", "/static/missing.css"):
        assert request(site.port, path).headers["Server"] == "nginx"
    assert "nginx/" not in request(site.port, "/static/missing.css").text


def test_client_max_body_size(site, four_backends):
    small = request(site.port, method="POST", body=b"x" * 1000)
    assert small.status == 200 and small.json() == {"received": 1000}
    big = request(site.port, method="POST", body=b"x" * (2 * 1024 * 1024))
    assert big.status == 413  # from nginx: the body never reaches Tornado
    assert not any("413" in b.output() for b in four_backends)


def test_websocket_through_nginx(site):
    async def echo():
        url = f"ws://127.0.0.1:{site.port}/ws"
        handshake = tornado.httpclient.HTTPRequest(url, headers={"Host": f"localhost:{site.port}"}, connect_timeout=5)
        client = await tornado.websocket.websocket_connect(handshake)
        await client.write_message("hello through nginx")
        answer = await asyncio.wait_for(client.read_message(), 5)
        client.close()
        return answer

    assert asyncio.run(echo()) == "hello through nginx"


def test_without_the_upgrade_headers_the_websocket_handshake_fails(nginx, four_backends):
    def edit(text):
        text = text.replace("            proxy_set_header Upgrade $http_upgrade;\n", "")
        return text.replace("            proxy_set_header Connection $connection_upgrade;\n", "")

    site = nginx([b.port for b in four_backends], edit=edit)
    url = f"ws://127.0.0.1:{site.port}/ws"
    handshake = tornado.httpclient.HTTPRequest(url, headers={"Host": f"localhost:{site.port}"}, connect_timeout=5)

    async def connect():
        return await tornado.websocket.websocket_connect(handshake)

    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        asyncio.run(connect())
    assert refused.value.code == 400  # Tornado: "Can \"Upgrade\" only to \"WebSocket\"."


def test_proxy_read_timeout_cuts_a_long_poll(nginx, four_backends):
    # The page's 300 s made short: a poll longer than proxy_read_timeout gets a 504.
    site = nginx([b.port for b in four_backends], edit=lambda text: text.replace("300s", "1s"))
    assert request(site.port, "/wait?seconds=0.2").status == 200
    assert request(site.port, "/wait?seconds=2").status == 504


def start_stream(port, megabytes=32):
    """Ask for a stream and read nothing yet, like a slow client."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"GET /stream?mb={megabytes} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    return sock


def read_all(sock, megabytes=32):
    received = 0
    while received < megabytes * 1024 * 1024:
        chunk = sock.recv(1 << 20)
        assert chunk
        received += len(chunk)
    sock.close()


def sent_by_some_backend(backends, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any("stream of 32 MB sent" in b.output() for b in backends):
            return True
        time.sleep(0.05)
    return False


def test_proxy_buffering_off_lets_tornado_wait_for_a_slow_client(site, four_backends):
    sock = start_stream(site.port)
    # The client reads nothing: Tornado's flush() waits, and the stream is not sent.
    assert not sent_by_some_backend(four_backends, timeout=1.5)
    read_all(sock)
    assert sent_by_some_backend(four_backends, timeout=10)


def test_with_proxy_buffering_nginx_reads_the_whole_stream_ahead(nginx, four_backends):
    site = nginx([b.port for b in four_backends], edit=lambda text: text.replace("proxy_buffering off;", ""))
    sock = start_stream(site.port)
    # nginx takes the whole stream into memory and a temporary file at once.
    assert sent_by_some_backend(four_backends, timeout=10)
    read_all(sock)


def established_to(ports):
    """Open TCP connections (state ESTABLISHED) whose remote port is one of `ports`."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[2].split(":")[1], 16) in ports:
                count += 1
    return count


def test_upstream_keepalive_keeps_connections_to_tornado_open(site, four_backends):
    for _ in range(8):
        assert request(site.port).status == 200
    time.sleep(0.2)
    assert established_to({b.port for b in four_backends}) > 0


def test_a_stopped_backend_is_skipped(site, four_backends):
    four_backends[0].stop()
    for _ in range(8):
        assert request(site.port).status == 200  # proxy_next_upstream: the next server answers


def test_without_xheaders_the_headers_are_ignored(start_example):
    server = start_example("backend.py")
    seen = server.get_json("/", headers={"X-Real-IP": "203.0.113.9", "X-Scheme": "https"})
    assert seen["remote_ip"] == "127.0.0.1"
    assert seen["protocol"] == "http"


def test_with_xheaders_a_direct_client_can_lie(start_example):
    # Why the backends must be reachable only through nginx.
    server = start_example("backend.py", "--xheaders")
    seen = server.get_json("/", headers={"X-Real-IP": "203.0.113.9", "X-Scheme": "https"})
    assert seen["remote_ip"] == "203.0.113.9"
    assert seen["protocol"] == "https"


def test_static_files_come_from_nginx(site, four_backends):
    answer = request(site.port, "/static/style.css")
    assert answer.status == 200
    assert answer.body == (HERE / "static" / "style.css").read_bytes()
    assert answer.headers["Content-Type"] == "text/css"
    # Without ?v=, no long cache lifetime: the browser checks again (ETag, Last-Modified).
    assert answer.headers["Cache-Control"] is None and answer.headers["Expires"] is None
    assert answer.headers["ETag"] and answer.headers["Last-Modified"]
    again = request(site.port, "/static/style.css", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status == 304 and again.body == b""
    # With ?v= (as static_url makes it), ten years, as Tornado's own StaticFileHandler does.
    versioned = request(site.port, "/static/style.css?v=1a2b3c")
    assert versioned.headers["Cache-Control"] == "max-age=315360000"
    assert request(site.port, "/static/missing.css").status == 404
    # A request that does go to Tornado shows up in a backend's log ...
    request(site.port, "/")
    deadline = time.monotonic() + 5
    while not any(re.search(r"200 GET / \(", b.output()) for b in four_backends):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # ... but no backend ever saw a /static/ request.
    assert not any("/static/" in b.output() for b in four_backends)


def test_with_host_instead_of_http_host_the_port_is_lost(nginx, four_backends):
    site = nginx([b.port for b in four_backends], edit=lambda text: text.replace("Host $http_host;", "Host $host;"))
    assert request(site.port).json()["host"] == "localhost"


def test_trusted_downstream_and_the_preference_for_x_real_ip():
    """In process: which address Tornado takes from the proxy headers."""
    import tornado.web
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    class RemoteIP(tornado.web.RequestHandler):
        def get(self):
            self.write(self.request.remote_ip)

    async def remote_ip(headers):
        [sock] = bind_sockets(0, address="127.0.0.1")
        server = HTTPServer(
            tornado.web.Application([(r"/", RemoteIP)]), xheaders=True, trusted_downstream=["10.0.0.2"]
        )  # fmt: skip
        server.add_sockets([sock])
        try:
            url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
            return (await AsyncHTTPClient().fetch(url, headers=headers)).body.decode()
        finally:
            server.stop()

    chain = {"X-Forwarded-For": "198.51.100.7, 10.0.0.2"}
    assert asyncio.run(remote_ip(chain)) == "198.51.100.7"
    assert asyncio.run(remote_ip({**chain, "X-Real-IP": "10.0.0.2"})) == "10.0.0.2"


def websocket_with_origin(site):
    """Open /ws through nginx as a browser on http://localhost:<port>/ would, with its Origin."""

    async def connect():
        url = f"ws://127.0.0.1:{site.port}/ws"
        headers = {"Host": f"localhost:{site.port}", "Origin": f"http://localhost:{site.port}"}
        client = await tornado.websocket.websocket_connect(tornado.httpclient.HTTPRequest(url, headers=headers))
        client.close()
        return "open"

    try:
        return asyncio.run(connect())
    except tornado.httpclient.HTTPClientError as error:
        return error.code


def test_the_websocket_origin_check_needs_the_port_in_host(nginx, four_backends):
    site = nginx([b.port for b in four_backends])
    assert websocket_with_origin(site) == "open"
    with_host = nginx(
        [b.port for b in four_backends], edit=lambda text: text.replace("Host $http_host;", "Host $host;")
    )
    assert websocket_with_origin(with_host) == 403  # Origin localhost:<port> is not Host localhost


def test_workers_that_cannot_read_the_static_folder_answer_403(nginx, four_backends):
    """Why the tests serve a world-readable copy: nginx started as root reads files as nobody."""
    import os

    if os.geteuid() != 0:
        pytest.skip("only nginx started as root switches its workers to nobody")
    locked = Path(tempfile.mkdtemp(prefix="guide-locked-"))  # mode 0700, like a private home folder
    try:
        shutil.copytree(HERE / "static", locked / "static")
        site = nginx(
            [b.port for b in four_backends], edit=lambda text: re.sub(r"alias \S+;", f"alias {locked}/static/;", text)
        )
        assert request(site.port, "/static/style.css").status == 403
        assert "Permission denied" in site.error_log()
    finally:
        shutil.rmtree(locked)
