import asyncio
import email.utils
import hashlib
import re
import shutil
from pathlib import Path

import tornado.httpclient
import tornado.web

from tools.site import free_port

PROGRAM = "static_site.py"
STATIC = Path(__file__).parent / "static"
TEN_YEARS = 10 * 365 * 24 * 60 * 60


def request(server, path, headers=None, method="GET"):
    """Send the path exactly as written (no client cleans up ../) and return status, headers, body."""
    response = server.request(method, path, headers=headers or {})
    return response.status, response.headers, response.body


def css_version(server):
    """The ?v= value that static_url put into the home page."""
    status, _, body = request(server, "/")
    assert status == 200
    return re.search(rb'href="/static/site\.css\?v=([0-9a-f]+)"', body).group(1).decode()


def sha512(path):
    return hashlib.sha512(path.read_bytes()).hexdigest()


def test_static_url_adds_a_hash_of_the_content(start_example, replay):
    server = start_example(PROGRAM)
    assert css_version(server) == sha512(STATIC / "site.css")
    replay("static_site-home.console", server)


def test_the_hash_changes_when_the_file_changes(start_example, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)  # edit a copy, never the example's own files
    first = start_example(PROGRAM, f"--static-path={static}")
    old = css_version(first)
    with (static / "site.css").open("a") as css:
        css.write("p {\n  line-height: 1.5;\n}\n")
    # A running server hashed the file once and keeps that version...
    assert css_version(first) == old
    # ...but it serves the file as it is now, whatever ?v= says.
    assert request(first, f"/static/site.css?v={old}")[2] == (static / "site.css").read_bytes()
    # After a restart the URL changes, so browsers fetch the new file.
    second = start_example(PROGRAM, f"--static-path={static}")
    new = css_version(second)
    assert new != old
    assert new == sha512(static / "site.css")


def test_versioned_urls_are_cached_for_ten_years(start_example, replay):
    server = start_example(PROGRAM)
    version = css_version(server)
    status, headers, body = request(server, f"/static/site.css?v={version}")
    assert status == 200 and body == (STATIC / "site.css").read_bytes()
    assert headers["Cache-Control"] == f"max-age={TEN_YEARS}"
    expires = email.utils.parsedate_to_datetime(headers["Expires"])
    date = email.utils.parsedate_to_datetime(headers["Date"])
    assert abs((expires - date).total_seconds() - TEN_YEARS) < 60
    # The ETag is the same hash as the version.
    assert headers["Etag"] == f'"{version}"'
    # Any v gets the same headers: the server does not check it.
    assert request(server, "/static/site.css?v=not-the-hash")[1]["Cache-Control"] == f"max-age={TEN_YEARS}"
    # Without ?v= the file gets validators but no lifetime: the browser must ask again.
    status, headers, _ = request(server, "/static/site.css")
    assert status == 200
    assert "Cache-Control" not in headers and "Expires" not in headers
    assert headers["Etag"] == f'"{version}"' and headers["Last-Modified"]
    replay("static_site-cache.console", server)


def test_conditional_requests_get_304(start_example, replay):
    server = start_example(PROGRAM)
    url = f"/static/site.css?v={css_version(server)}"
    _, headers, _ = request(server, url)
    etag, modified = headers["Etag"], headers["Last-Modified"]

    status, _, body = request(server, url, {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert request(server, url, {"If-None-Match": '"something-else"'})[0] == 200

    status, _, body = request(server, url, {"If-Modified-Since": modified})
    assert (status, body) == (304, b"")
    earlier = email.utils.format_datetime(email.utils.parsedate_to_datetime(modified).replace(year=2000), usegmt=True)
    assert request(server, url, {"If-Modified-Since": earlier})[0] == 200
    # When both are sent, the ETag decides.
    assert request(server, url, {"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    replay("static_site-conditional.console", server)


def test_files_at_the_root_of_the_site(start_example, replay):
    server = start_example(PROGRAM)
    for name in ["robots.txt", "favicon.ico", "sitemap.xml"]:
        status, headers, body = request(server, f"/{name}")
        assert status == 200, name
        assert body == (STATIC / name).read_bytes(), name
    assert request(server, "/robots.txt")[1]["Content-Type"] == "text/plain"
    assert request(server, "/favicon.ico")[1]["Content-Type"].startswith("image/")
    assert request(server, "/sitemap.xml")[1]["Content-Type"].endswith("xml")
    replay("static_site-root.console", server)


# Paths that try to leave the static folder, as an attacker sends them.
OUTSIDE = [
    "/static/../static_site.py",
    "/static/%2e%2e%2fstatic_site.py",
    "/static/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/css/../../static_site.py",
    "/static/..",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
]
# Paths that name nothing servable, or that no route accepts.
OTHERS = {
    "/../static_site.py": 404,
    "/favicon.ico/../static_site.py": 404,
    "/static/..%5cstatic_site.py": 404,
    "/static/missing.css": 404,
    "/static/": 404,  # default_filename: no index.html in the folder
    "/static/%00": 400,
    "/static/site.css%00.png": 400,
    "/static/%ff": 400,
}


def test_path_traversal_is_refused(start_example, replay):
    server = start_example(PROGRAM)
    for path in OUTSIDE:
        status, _, body = request(server, path)
        assert status == 403, path
        assert b"asyncio" not in body and b"root:" not in body, path
    for path, expected in OTHERS.items():
        assert request(server, path)[0] == expected, path
    assert "is not in root static directory" in server.output()
    replay("static_site-traversal.console", server)


def test_a_symlink_out_of_the_folder_is_refused(start_example, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    (tmp_path / "secret.txt").write_text("not for the web\n")
    (static / "notes.txt").symlink_to(tmp_path / "secret.txt")
    (static / "style.css").symlink_to(static / "site.css")  # a link inside the folder is fine
    server = start_example(PROGRAM, f"--static-path={static}")
    status, _, body = request(server, "/static/notes.txt")
    assert status == 403 and b"not for the web" not in body
    assert request(server, "/static/style.css")[0] == 200


def test_stock_handler_answers_nul_with_500():
    """Why the example has StrictStaticFileHandler. If a Tornado release fixes this, this test fails."""

    async def fetch_nul():
        port = free_port()
        server = tornado.web.Application(static_path=str(STATIC)).listen(port, "127.0.0.1")
        try:
            client = tornado.httpclient.AsyncHTTPClient()
            response = await client.fetch(f"http://127.0.0.1:{port}/static/site.css%00", raise_error=False)
            return response.code
        finally:
            server.stop()

    assert asyncio.run(fetch_nul()) == 500


def test_a_folder_serves_its_index_html(start_example, replay):
    server = start_example(PROGRAM)
    status, headers, _ = request(server, "/static/docs")
    assert (status, headers["Location"]) == (301, "/static/docs/")
    status, _, body = request(server, "/static/docs/")
    assert status == 200 and body == (STATIC / "docs" / "index.html").read_bytes()
    replay("static_site-index.console", server)


def test_a_range_request_gets_206_and_the_bytes_asked_for(start_example, replay):
    server = start_example(PROGRAM)
    robots = (STATIC / "robots.txt").read_bytes()
    status, headers, body = request(server, "/robots.txt", {"Range": "bytes=0-9"})
    assert (status, body) == (206, robots[:10])
    assert headers["Content-Range"] == f"bytes 0-9/{len(robots)}" and headers["Accept-Ranges"] == "bytes"
    status, _, body = request(server, "/robots.txt", {"Range": "bytes=-5"})
    assert (status, body) == (206, robots[-5:])
    status, headers, _ = request(server, "/robots.txt", {"Range": "bytes=9999-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(robots)}"
    replay("static_site-range.console", server)


async def serve_once(app, path):
    port = free_port()
    server = app.listen(port, "127.0.0.1")
    try:
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False, follow_redirects=False)
        return response.code
    finally:
        server.stop()


def test_without_default_filename_a_folder_is_403():
    app = tornado.web.Application(static_path=str(STATIC))
    assert asyncio.run(serve_once(app, "/static/docs/")) == 403


def test_a_file_over_64_mib_gets_no_version(tmp_path):
    assert tornado.web.StaticFileHandler.MAX_VERSION_CONTENT_SIZE == 64 * 1024 * 1024
    shutil.copy(STATIC / "site.css", tmp_path / "site.css")
    with open(tmp_path / "video.mp4", "wb") as big:
        big.truncate(64 * 1024 * 1024 + 1)  # a sparse file: no disk space needed
    settings = {"static_path": str(tmp_path)}
    tornado.web.StaticFileHandler.reset()
    try:
        assert tornado.web.StaticFileHandler.get_version(settings, "site.css")
        assert tornado.web.StaticFileHandler.get_version(settings, "video.mp4") is None
        url = tornado.web.StaticFileHandler.make_static_url(settings, "video.mp4")
        assert url == "/static/video.mp4"
    finally:
        tornado.web.StaticFileHandler.reset()


def test_dotfiles_in_the_folder_are_public_too(start_example, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    (static / ".env").write_text("SECRET=do-not-put-me-here\n")
    server = start_example(PROGRAM, f"--static-path={static}")
    status, _, body = request(server, "/static/.env")
    assert status == 200 and b"do-not-put-me-here" in body
