"""What the authors page claims about blog.py. The reader's whole path is tested in ../end-to-end/."""

import http.client
import re
import secrets
import sqlite3
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

PASSWORD = secrets.token_urlsafe(12)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def blog(tmp_path, monkeypatch, run_example, start_example):
    db_path = tmp_path / "blog.sqlite3"
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    assert run_example("blog.py", f"--db={db_path}", "--create-author=alice").returncode == 0
    env = {"COOKIE_SECRET": secrets.token_hex(32)}
    server = start_example("blog.py", f"--db={db_path}", "--public_url=https://blog.example/", env=env)
    return server, db_path


def submit(session, path, form, headers=None):
    page = session.get(path).text
    token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    return session.post(path, form=dict(form, _xsrf=token), headers=headers)


def signed_in(server):
    session = server.session()
    assert submit(session, "/login", {"name": "alice", "password": PASSWORD}).status == 302
    return session


def rows(db_path):
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT title, body FROM entries ORDER BY id").fetchall()
    finally:
        db.close()


@pytest.mark.parametrize(
    "name, password, message",
    [
        ("bob", "short", "8 or more characters"),
        ("bob", "tab\there!", "without tabs or line breaks"),
        (" bob", "long enough", "no spaces at either end"),
    ],
)
def test_create_author_refuses_what_a_login_form_could_not_match(
    tmp_path, monkeypatch, run_example, name, password, message
):
    monkeypatch.setenv("AUTHOR_PASSWORD", password)
    done = run_example("blog.py", f"--db={tmp_path / 'blog.sqlite3'}", f"--create-author={name}")
    assert done.returncode == 1 and message in done.stderr


def test_the_database_file_is_readable_by_its_owner_only(blog):
    server, db_path = blog
    submit(signed_in(server), "/compose", {"title": "T", "body": "B"})
    for path in (db_path, db_path.with_name("blog.sqlite3-wal"), db_path.with_name("blog.sqlite3-shm")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("secret", ["a" * 64, "ab" * 32, "short"])
def test_a_weak_cookie_secret_is_refused(tmp_path, run_example, monkeypatch, secret):
    monkeypatch.setenv("COOKIE_SECRET", secret)
    done = run_example("blog.py", f"--db={tmp_path / 'blog.sqlite3'}", "--port=1")
    assert done.returncode == 1 and "Set COOKIE_SECRET" in done.stderr


def test_the_feed_takes_its_address_from_the_configuration(blog):
    server, _ = blog
    submit(signed_in(server), "/compose", {"title": "T", "body": "B"})
    answer = server.get("/feed.atom", headers={"Host": "evil.example"})
    assert "evil.example" not in answer.text
    feed = ET.fromstring(answer.body)
    assert feed.findtext(f"{ATOM}id") == "https://blog.example/"
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "https://blog.example/entry/1"


def test_characters_that_xml_forbids_are_left_out_of_the_feed(blog):
    server, db_path = blog
    answer = submit(signed_in(server), "/compose", {"title": "Tab\x0bForm\x0cfeed", "body": "One\x0btwo"})
    assert answer.status == 302
    assert rows(db_path) == [("Tab\x0bForm\x0cfeed", "One\x0btwo")]  # stored as typed
    entry = ET.fromstring(server.get("/feed.atom").body).find(f"{ATOM}entry")
    assert (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}content")) == ("TabFormfeed", "Onetwo")


@pytest.mark.parametrize("path", ["/static/%00", "/static/blog.css%00", "/static/%00/../blog.css"])
def test_a_nul_in_a_static_path_is_a_bad_request(blog, path):
    server, _ = blog
    assert server.get(path).status == 400  # the fixture fails the test on a traceback in the log


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(blog):
    server, _ = blog
    alice = signed_in(server)
    stolen = alice.cookies["author"]
    home = alice.get("/").text
    token = re.search(r'name="_xsrf" value="([^"]+)"', home).group(1)
    assert alice.post("/logout", form={"_xsrf": token}).status == 302
    copy = server.session()
    copy.cookies["author"] = stolen
    answer = copy.get("/compose")
    assert (answer.status, answer.headers["Location"]) == (302, "/login?next=%2Fcompose")
    assert signed_in(server).get("/compose").status == 200  # a new sign-in works again


def test_a_request_that_another_site_sent_is_refused_and_shown_nothing(blog):
    server, db_path = blog
    alice = signed_in(server)
    # A planted or stolen token does not help: the browser says where the form came from.
    headers = {"Sec-Fetch-Site": "same-site", "Origin": "https://evil.blog.example"}
    answer = submit(alice, "/compose", {"title": "Forged", "body": "Planted text."}, headers=headers)
    assert answer.status == 403 and "Planted text." not in answer.text
    assert rows(db_path) == []


def test_the_xsrf_cookie_has_the_flags_of_the_session_cookie(blog):
    server, _ = blog
    cookie = server.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("_xsrf=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_every_page_refuses_frames_and_foreign_content(blog):
    server, _ = blog
    for path in ("/", "/login", "/nowhere"):
        headers = server.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_request_size_fits_the_largest_entry_and_no_more(blog):
    server, db_path = blog
    alice = signed_in(server)
    # 20,000 characters of four UTF-8 bytes each: the largest entry, 240 kB once urlencoded.
    assert submit(alice, "/compose", {"title": "Big", "body": "\U0001f600" * 20_000}).status == 302
    # A longer request is refused as soon as its headers announce the size.
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/compose")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(300_000))
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()
    assert [title for title, _ in rows(db_path)] == ["Big"]


def test_a_form_refused_for_its_token_gives_the_text_back(blog):
    server, db_path = blog
    alice = signed_in(server)
    page = alice.get("/compose").text
    token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    del alice.cookies["_xsrf"]  # the browser lost the cookie while alice wrote
    answer = alice.post("/compose", form={"_xsrf": token, "title": "Draft", "body": "Long text."})
    assert answer.status == 403 and "Your text was not saved" in answer.text
    assert 'value="Draft"' in answer.text and ">Long text.</textarea>" in answer.text
    assert rows(db_path) == []
    # The page set a new _xsrf cookie and carries its token: publishing from it works.
    token = re.search(r'name="_xsrf" value="([^"]+)"', answer.text).group(1)
    assert alice.post("/compose", form={"_xsrf": token, "title": "Draft", "body": "Long text."}).status == 302
    assert rows(db_path) == [("Draft", "Long text.")]


def listening_addresses(port):
    """The local addresses on which some process listens on this TCP port (Linux)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_the_server_listens_on_the_loopback_interface_only(blog):
    server, _ = blog
    assert listening_addresses(server.port) == ["0100007F"]  # 127.0.0.1, in the kernel's byte order


def test_a_database_made_by_step_1_keeps_its_entries(tmp_path, monkeypatch, run_example, start_example):
    db_path = tmp_path / "blog.sqlite3"
    step1 = start_example("../first-pages/blog.py", f"--db={db_path}")
    step1.stop()
    with sqlite3.connect(db_path) as db:
        db.execute(
            "INSERT INTO entries (author, title, body, published, updated) VALUES (?, ?, ?, ?, ?)",
            ("alice", "From step 1", "Old text.", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"),
        )
    db.close()
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    assert run_example("blog.py", f"--db={db_path}", "--create-author=alice").returncode == 0
    server = start_example("blog.py", f"--db={db_path}", env={"COOKIE_SECRET": secrets.token_hex(32)})
    assert "From step 1" in server.get("/").text
    # An edit without the form's `updated` stamp: 409, not 404, because entry 1 exists.
    assert submit(signed_in(server), "/compose?id=1", {"id": "1", "title": "T", "body": "B"}).status == 409


def test_the_password_is_stored_as_a_salted_hash(blog):
    _, db_path = blog
    db = sqlite3.connect(db_path)
    ((salt, digest),) = db.execute("SELECT salt, hash FROM authors WHERE name = 'alice'").fetchall()
    db.close()
    assert len(salt) == 16 and len(digest) == 32 and PASSWORD.encode() not in digest


def test_an_unknown_name_costs_a_hash_too(monkeypatch, import_example):
    blog = import_example("blog.py")
    calls = []
    monkeypatch.setattr(blog, "hash_password", lambda password, salt: calls.append(salt) or b"")
    assert blog.check_password(None, "anything") is False
    assert len(calls) == 1 and len(calls[0]) == 16


def test_the_session_cookie_has_its_flags(blog):
    server, _ = blog
    session = server.session()
    answer = submit(session, "/login", {"name": "alice", "password": PASSWORD})
    cookie = [c for c in answer.headers.get_all("Set-Cookie") if c.startswith("author=")][0]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "name, password", [("alice", "not it"), ("nobody", PASSWORD)], ids=["wrong-password", "unknown-name"]
)
def test_one_message_for_a_wrong_name_or_password(blog, name, password):
    server, _ = blog
    answer = submit(server.session(), "/login", {"name": name, "password": password})
    assert answer.status == 403 and "Wrong name or password." in answer.text


def test_the_login_form_needs_the_xsrf_token(blog):
    server, _ = blog
    answer = server.post("/login", form={"name": "alice", "password": PASSWORD})
    assert answer.status == 403
    assert not any(c.startswith("author=") for c in answer.headers.get_all("Set-Cookie") or [])


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\tx", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(blog, next_url):
    server, _ = blog
    answer = submit(server.session(), "/login", {"name": "alice", "password": PASSWORD, "next": next_url})
    assert (answer.status, answer.headers["Location"]) == (302, "/")


def test_an_author_removed_from_the_database_loses_access_at_once(blog):
    server, db_path = blog
    alice = signed_in(server)
    with sqlite3.connect(db_path) as db:
        db.execute("DELETE FROM authors WHERE name = 'alice'")
    db.close()
    assert alice.get("/compose").status == 302


def test_a_title_is_escaped_inside_the_form_attribute(blog):
    server, _ = blog
    answer = submit(signed_in(server), "/compose", {"title": '"><b>bold', "body": ""})
    assert answer.status == 400 and 'value="&quot;&gt;&lt;b&gt;bold"' in answer.text
    assert "<b>bold" not in answer.text


def test_an_unknown_path_gets_the_blogs_404_page(blog):
    server, _ = blog
    answer = server.get("/nowhere")
    assert answer.status == 404 and "<h1>404 Not Found</h1>" in answer.text and "Tornado Blog" in answer.text
