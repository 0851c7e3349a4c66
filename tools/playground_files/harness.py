"""The playground's server without sockets: an example's Application, driven in memory.

The page's worker (worker.mjs) loads this module into Pyodide. `load()` imports the
example file as the reader edited it and takes its Application from make_app();
`request()` hands one HTTP request to the Application through Tornado's own
HTTPServerConnectionDelegate interface (start_request, headers_received,
data_received, finish), with a connection object that collects what the handler
writes. Cookies are kept between requests, as a browser keeps them.

The same module runs under CPython, which is how tests/test_playground.py checks it
without a browser.
"""

from __future__ import annotations

import asyncio
import email.utils
import http.cookies
import importlib.util
import inspect
import os
import secrets
import sys
import time
import traceback
from pathlib import Path

import tornado.log
import tornado.options
import tornado.web
from tornado import httputil

HOST = "localhost:8888"  # the address the pages' curl commands use


def _done() -> asyncio.Future:
    future = asyncio.get_running_loop().create_future()
    future.set_result(None)
    return future


class Context:
    """What HTTPServerRequest reads from a connection's context: the client's address and scheme."""

    remote_ip = "127.0.0.1"
    protocol = "http"

    def __str__(self) -> str:
        return self.remote_ip


class MemoryStream:
    """The little of IOStream that a WebSocket uses after detach(): bytes in, bytes out."""

    def __init__(self, on_write):
        self._incoming = bytearray()
        self._waiter = None
        self._closed = False
        self._close_callback = None
        self._on_write = on_write
        from tornado.ioloop import IOLoop

        self.io_loop = IOLoop.current()

    def feed(self, data: bytes) -> None:
        self._incoming += data
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def read_bytes(self, n: int) -> bytes:
        from tornado.iostream import StreamClosedError

        while len(self._incoming) < n:
            if self._closed:
                raise StreamClosedError()
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        data = bytes(self._incoming[:n])
        del self._incoming[:n]
        return data

    def write(self, data: bytes) -> asyncio.Future:
        from tornado.iostream import StreamClosedError

        if self._closed:
            raise StreamClosedError()
        self._on_write(bytes(data))
        return _done()

    def set_close_callback(self, callback) -> None:
        self._close_callback = callback

    def set_nodelay(self, value: bool) -> None:
        pass

    def closed(self) -> bool:
        return self._closed

    def close(self, exc_info=False) -> None:
        if not self._closed:
            self._closed = True
            self._wake()
            if self._close_callback is not None:
                callback, self._close_callback = self._close_callback, None
                self.io_loop.add_callback(callback)


class Connection(httputil.HTTPConnection):
    """An HTTP/1.1 connection that keeps what the Application writes instead of sending it."""

    def __init__(self) -> None:
        self.context = Context()
        self.start_line: httputil.ResponseStartLine | None = None
        self.headers: httputil.HTTPHeaders | None = None
        self.chunks: list[bytes] = []
        self.finished = asyncio.get_running_loop().create_future()
        self.stream: MemoryStream | None = None
        self.frames = bytearray()  # what a WebSocket handler sent after the handshake
        self._close_callback = None

    def set_close_callback(self, callback) -> None:
        self._close_callback = callback

    def write_headers(self, start_line, headers, chunk=None) -> asyncio.Future:
        self.start_line, self.headers = start_line, headers
        if chunk:
            self.chunks.append(bytes(chunk))
        return _done()

    def write(self, chunk: bytes) -> asyncio.Future:
        self.chunks.append(bytes(chunk))
        return _done()

    def finish(self) -> None:
        if not self.finished.done():
            self.finished.set_result(None)

    def detach(self) -> MemoryStream:
        self.stream = MemoryStream(self.frames.extend)
        return self.stream


class Playground:
    """One panel's server: its program, its Application and the cookies of its browser."""

    def __init__(self) -> None:
        self.app = None
        self.cookies: dict[str, str] = {}
        self.sockets: dict[str, Connection] = {}
        self.secrets: dict[str, str] = {}

    def load(self, path: str, environment: dict | None = None, arguments: list | None = None) -> None:
        """Import the program at PATH (as the reader edited it) and make its Application.

        ENVIRONMENT holds the variables the program reads (a secret key, say); the value
        "random" stands for a random token, made once per panel; ARGUMENTS are the command
        line that main() parses."""
        for name, value in dict(environment or {}).items():
            if value == "random":
                value = self.secrets.setdefault(name, secrets.token_urlsafe(32))
            os.environ[name] = value
        folder = os.path.dirname(os.path.abspath(path))
        name = Path(path).stem
        # A program defines its command-line options when it is imported; a fresh parser lets
        # an edited program be imported again (define() refuses a name defined twice).
        parser = tornado.options.OptionParser()
        tornado.log.define_logging_options(parser)
        tornado.options.options = parser
        sys.modules.pop(name, None)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        os.chdir(folder)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        # The Application the program serves as a real server: main() is run up to its
        # listen() (so whatever main() prepares, such as translations, is there too), and
        # make_app() is the way in for a program whose main() does not listen that way.
        app = self._app_from_main(module, [path, *(arguments or [])]) if hasattr(module, "main") else None
        if app is None:
            make_app = getattr(module, "make_app", None)
            if make_app is None:
                raise RuntimeError(
                    f"{os.path.basename(path)} defines no make_app(): the playground takes the Application from it"
                )
            app = make_app()
        self.app = app
        self.sockets.clear()

    @staticmethod
    def _app_from_main(module, argv: list[str]):
        """Run the program's main() up to its app.listen(), and keep that Application."""
        captured = []

        class Listened(Exception):
            pass

        def listen(app, *args, **kwargs):
            captured.append(app)
            raise Listened()

        original, tornado.web.Application.listen = tornado.web.Application.listen, listen
        sys.argv = argv
        try:
            running = module.main()
            if inspect.iscoroutine(running):
                try:
                    running.send(None)
                except (Listened, StopIteration):
                    pass
                finally:
                    running.close()
        except Listened:
            pass
        finally:
            tornado.web.Application.listen = original
        return captured[0] if captured else None

    def _cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _keep_cookies(self, headers: httputil.HTTPHeaders) -> None:
        for line in headers.get_list("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            try:
                jar.load(line)
            except http.cookies.CookieError:
                continue
            for name, morsel in jar.items():
                expired = morsel["max-age"] in ("0", "-1")
                if morsel["expires"]:
                    try:
                        expired = (
                            expired or email.utils.parsedate_to_datetime(morsel["expires"]).timestamp() < time.time()
                        )
                    except (TypeError, ValueError):
                        pass
                if expired:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value

    async def request(self, method: str, path: str, headers: list[list[str]], body: str = "", client: str = "") -> dict:
        """Send one request; return the response as the panel shows it."""
        if self.app is None:
            raise RuntimeError("no program is loaded")
        data = body.encode("utf-8")
        request_headers = httputil.HTTPHeaders()
        for name, value in headers:
            request_headers.add(name, value)
        if "Host" not in request_headers:
            request_headers["Host"] = HOST
        if self.cookies and "Cookie" not in request_headers:
            request_headers["Cookie"] = self._cookie_header()
        if data and "Content-Length" not in request_headers:
            request_headers["Content-Length"] = str(len(data))
        connection = Connection()
        delegate = self.app.start_request(object(), connection)
        started = time.perf_counter()
        result = delegate.headers_received(httputil.RequestStartLine(method, path, "HTTP/1.1"), request_headers)
        if result is not None:
            await result
        if data:
            result = delegate.data_received(data)
            if result is not None:
                await result
        delegate.finish()
        await connection.finished
        elapsed = time.perf_counter() - started
        response_headers = connection.headers or httputil.HTTPHeaders()
        self._keep_cookies(response_headers)
        start = connection.start_line
        status = f"HTTP/1.1 {start.code} {start.reason}" if start else "HTTP/1.1 500 (no response)"
        if (
            start is not None and start.code >= 200 and start.code not in (204, 304)
            and "Content-Length" not in response_headers and "Transfer-Encoding" not in response_headers
            and method != "HEAD" and connection.stream is None
        ):  # fmt: skip
            response_headers.add("Transfer-Encoding", "chunked")  # as HTTP1Connection sends such a body
        if connection.stream is not None and client:
            self.sockets[client] = connection
        payload = b"".join(connection.chunks)
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            text = f"[{len(payload)} bytes of binary data]"
        return {
            "status": status,
            "code": start.code if start else 500,
            "headers": [[name, value] for name, value in response_headers.get_all()],
            "body": text,
            "milliseconds": round(elapsed * 1000, 2),
            "cookies": dict(self.cookies),
        }

    # WebSocket clients: a client opens with a GET carrying the upgrade headers, then sends text frames.
    async def websocket_send(self, client: str, message: str) -> dict[str, list[str]]:
        connection = self.sockets.get(client)
        if connection is None or connection.stream is None or connection.stream.closed():
            raise RuntimeError(f"client {client} has no open WebSocket")
        connection.stream.feed(_client_frame(0x1, message.encode("utf-8")))
        await asyncio.sleep(0.05)  # the handler and the writers it wakes run
        return self.websocket_messages()

    async def websocket_receive(self) -> dict[str, list[str]]:
        await asyncio.sleep(0)
        return self.websocket_messages()

    def websocket_messages(self) -> dict[str, list[str]]:
        """What each open WebSocket received since the last call (text frames)."""
        received = {}
        for client, connection in self.sockets.items():
            received[client], rest = _server_frames(bytes(connection.frames))
            connection.frames[:] = rest
        return received


def _client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame, as a browser sends it (RFC 6455 5.2); the mask is fixed, which is allowed for a test client."""
    mask = b"\x01\x02\x03\x04"
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
    return header + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def _server_frames(data: bytes) -> tuple[list[str], bytes]:
    """The text messages in unmasked server frames, and the bytes of an incomplete last frame."""
    messages = []
    while len(data) >= 2:
        opcode, length, offset = data[0] & 0x0F, data[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(data[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(data[2:10], "big"), 10
        if len(data) < offset + length:
            break
        payload, data = data[offset : offset + length], data[offset + length :]
        if opcode == 0x1:
            messages.append(payload.decode("utf-8", "replace"))
        elif opcode == 0x8:
            messages.append(
                f"[closed {int.from_bytes(payload[:2], 'big') if len(payload) >= 2 else ''}]".replace(" ]", "]")
            )
    return messages, data


PLAYGROUND = Playground()


def error_text() -> str:
    """The traceback of the exception being handled, without this module's own frames."""
    return "".join(traceback.format_exc())
