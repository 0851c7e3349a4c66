import http.client
import json
import uuid


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
    return body, f"multipart/form-data; boundary={boundary}"


def post(server, body, content_type):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("POST", "/upload", body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.reason, response.read()
    finally:
        connection.close()


def test_uploaded_files_are_echoed_with_name_type_and_size(start_example, replay):
    server = start_example("uploads.py")
    picture = bytes(range(256)) * 10  # binary data, not text
    body, content_type = multipart(
        [("note", "two files")],
        [
            ("file", "teas.txt", "text/plain", b"Green tea\n"),
            ("file", "leaf.png", "image/png", picture),
            ("other", "../../etc/passwd", "application/octet-stream", b"x"),
        ],
    )
    status, _, answer = post(server, body, content_type)
    assert status == 200
    assert json.loads(answer) == {
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
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/upload")
    page = connection.getresponse().read().decode()
    connection.close()
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="file"' in page


def test_requests_without_a_file_or_with_a_broken_body_are_400(start_example):
    server = start_example("uploads.py")
    body, content_type = multipart([("note", "no file")], [])
    assert post(server, body, content_type)[:2] == (400, "No file in the request")
    assert post(server, b"note=x", "application/x-www-form-urlencoded")[:2] == (400, "No file in the request")
    # A multipart body that breaks off before its final boundary.
    body, content_type = multipart([], [("file", "a.txt", "text/plain", b"abc")])
    assert post(server, body[:-10], content_type)[0] == 400
    assert post(server, b"garbage", "multipart/form-data")[0] == 400  # no boundary at all
