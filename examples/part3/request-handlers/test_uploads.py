import asyncio
import hashlib
import uuid

import tornado.options
import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port


def multipart(fields, files):
    """Build a multipart/form-data body by hand: fields are (name, value), files (name, filename, type, data)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8") + b"\r\n"
        )  # fmt: skip
    for name, filename, content_type, data in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode("utf-8") + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_uploaded_files_are_echoed_with_name_type_and_size(start_example, replay):
    server = start_example("uploads.py")
    picture = bytes(range(256)) * 10  # binary data, not text
    body, headers = multipart(
        [("note", "two files")],
        [
            ("file", "teas.txt", "text/plain", b"Green tea\n"),
            ("file", "leaf.png", "image/png", picture),
            ("other", "../../etc/passwd", "application/octet-stream", b"x"),
        ],
    )
    response = server.post("/upload", body=body, headers=headers)
    assert response.status == 200
    assert response.json() == {
        "files": [
            {"field": "file", "filename": "teas.txt", "content_type": "text/plain", "size": 10},
            {"field": "file", "filename": "leaf.png", "content_type": "image/png", "size": 2560},
            # The client chose this name; the server only reports it.
            {"field": "other", "filename": "../../etc/passwd", "content_type": "application/octet-stream", "size": 1},
        ],
        "note": "two files",
    }
    replay("uploads.console", server)


def test_the_form_page_posts_multipart(start_example):
    server = start_example("uploads.py")
    page = server.get("/upload").text
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="file"' in page


def test_requests_without_a_file_or_with_a_broken_body_are_400(start_example):
    server = start_example("uploads.py")
    body, headers = multipart([("note", "no file")], [])
    response = server.post("/upload", body=body, headers=headers)
    assert (response.status, response.json()) == (400, {"error": "No file in the request"})
    response = server.post("/upload", form={"note": "x"})
    assert (response.status, response.json()) == (400, {"error": "No file in the request"})
    # A multipart body that breaks off before its final boundary.
    body, headers = multipart([], [("file", "a.txt", "text/plain", b"abc")])
    broken = server.post("/upload", body=body[:-10], headers=headers)
    # Tornado's own 400 page: the body was refused before post() could run.
    assert (broken.status, broken.text) == (
        400,
        "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>",
    )
    assert server.post("/upload", body=b"garbage", headers={"Content-Type": "multipart/form-data"}).status == 400


def test_a_form_over_1_mib_is_refused_but_the_stream_takes_more(start_example, announce_body, replay):
    server = start_example("uploads.py")
    body, headers = multipart([], [("file", "big.bin", "application/octet-stream", b"x" * 900_000)])
    assert server.post("/upload", body=body, headers=headers).status == 200
    assert announce_body(server, "POST", "/upload", 2_000_000, headers["Content-Type"]) == "HTTP/1.1 400 Bad Request"
    # /stream raises the limit in prepare, and reads the body piece by piece.
    data = bytes(range(256)) * 8192  # 2 MiB
    response = server.request("PUT", "/stream", body=data, timeout=30)
    assert response.status == 200
    assert response.json() == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    # Its own limit still holds.
    assert announce_body(server, "PUT", "/stream", 64 * 1024 * 1024 + 1) == "HTTP/1.1 400 Bad Request"
    replay("uploads-stream.console", server)


def test_streaming_alone_does_not_lift_max_body_size(import_example):
    uploads = import_example("uploads.py")

    @tornado.web.stream_request_body
    class StreamOnly(tornado.web.RequestHandler):
        """Streams, but leaves the server's limit as it is."""

        def data_received(self, chunk):
            pass

        def put(self):
            self.write("ok")

    async def scenario():
        sock, port = bind_unused_port()
        app = tornado.web.Application([(r"/stream-only", StreamOnly), (r"/stream", uploads.StreamHandler)])
        server = HTTPServer(app, max_body_size=1000)
        server.add_sockets([sock])
        try:
            client = AsyncHTTPClient()
            codes = {}
            for path in ("/stream-only", "/stream"):
                response = await client.fetch(
                    f"http://127.0.0.1:{port}{path}", method="PUT", body=b"x" * 2000, raise_error=False
                )
                codes[path] = response.code
            return codes
        finally:
            server.stop()

    # 2,000 bytes over a 1,000-byte limit: 400 without set_max_body_size, 200 with it.
    assert asyncio.run(scenario()) == {"/stream-only": 400, "/stream": 200}


def test_the_default_limit_is_100_mib(announce_body):
    """A server started without max_body_size refuses 100 MiB + 1 at once, but waits for 50 MiB."""

    class Upload(tornado.web.RequestHandler):
        def post(self):
            self.write("ok")

    async def scenario():
        sock, port = bind_unused_port()
        server = HTTPServer(tornado.web.Application([(r"/", Upload)]))
        server.add_sockets([sock])
        target = type("Target", (), {"port": port})
        try:
            over = await asyncio.to_thread(announce_body, target, "POST", "/", 100 * 1024 * 1024 + 1)
            try:
                under = await asyncio.to_thread(announce_body, target, "POST", "/", 50 * 1024 * 1024, timeout=0.5)
            except TimeoutError:
                under = "no answer: waiting for the body"
            return over, under
        finally:
            server.stop()

    assert asyncio.run(scenario()) == ("HTTP/1.1 400 Bad Request", "no answer: waiting for the body")
