import http.client
import re
import secrets
import sqlite3
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

PASSWORD = secrets.token_urlsafe(12)
ATOM = "{http://www.w3.org/2005/Atom}"


class Client:
    """One user with their own cookies. Sends cookies by hand (urllib's jar would
    not send a Secure cookie over plain HTTP) and never follows redirects."""

    def __init__(self, server):
        self.port = server.port
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.coded_value
                else:
                    self.cookies.pop(name, None)  # clear_cookie sends an empty value
        return response.status, response.headers, text

    def submit(self, path, form, page=None):
        """Fill in the form of the page at path, with its hidden _xsrf field, and send it."""
        if page is None:
            _, _, page = self.request("GET", path)
        token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        return self.request("POST", path.split("?")[0], {"_xsrf": token, **form})

    def sign_in(self):
        status, headers, _ = self.submit("/login", {"name": "alice", "password": PASSWORD, "next": "/compose"})
        assert (status, headers["Location"]) == (302, "/compose")


@pytest.fixture
def blog(tmp_path, monkeypatch, run_example, start_example):
    db_path = tmp_path / "blog.sqlite3"
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    done = run_example("blog.py", f"--db={db_path}", "--create-author=alice")
    assert done.returncode == 0 and done.stdout == "Author alice created\n", done.stderr
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    server = start_example("blog.py", f"--db={db_path}")
    return server, db_path


def database_rows(db_path):
    """What the blog has stored, read from the file itself."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT id, author, title, body FROM entries ORDER BY id").fetchall()
    finally:
        db.close()


def test_the_password_is_stored_as_a_salted_hash(blog):
    _, db_path = blog
    db = sqlite3.connect(db_path)
    (salt, digest), = db.execute("SELECT salt, hash FROM authors WHERE name = 'alice'").fetchall()
    db.close()
    assert len(salt) == 16 and len(digest) == 32 and PASSWORD.encode() not in digest


def test_an_author_signs_in_writes_edits_and_signs_out(blog):
    server, db_path = blog
    alice = Client(server)
    status, headers, _ = alice.request("GET", "/compose")
    assert (status, headers["Location"]) == (302, "/login?next=%2Fcompose")
    alice.sign_in()

    form = {"title": "Hello <world>", "body": "First paragraph.\n\nSecond & last."}
    status, headers, _ = alice.submit("/compose", form)
    assert status == 302
    entry_path = headers["Location"]
    entry_id = int(entry_path.rsplit("/", 1)[1])

    _, _, home = Client(server).request("GET", "/")
    assert "Hello &lt;world&gt;" in home
    assert "<p>Second &amp; last.</p>" in home

    form = {"id": str(entry_id), "title": "Hello again", "body": "Edited."}
    status, headers, _ = alice.submit(f"/compose?id={entry_id}", form)
    assert (status, headers["Location"]) == (302, entry_path)
    _, _, page = Client(server).request("GET", entry_path)
    assert "<h1>Hello again</h1>" in page and "<p>Edited.</p>" in page

    _, _, feed_text = Client(server).request("GET", "/feed.atom")
    entries = ET.fromstring(feed_text).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Hello again"]
    assert database_rows(db_path) == [(entry_id, "alice", "Hello again", "Edited.")]

    _, _, home = alice.request("GET", "/")
    assert "Sign out alice" in home
    status, _, _ = alice.submit("/logout", {}, page=home)  # the form in the page header
    assert status == 302 and "author" not in alice.cookies
    status, headers, _ = alice.request("GET", "/compose")
    assert (status, headers["Location"]) == (302, "/login?next=%2Fcompose")


def test_a_wrong_password_is_refused(blog):
    server, _ = blog
    client = Client(server)
    status, _, page = client.submit("/login", {"name": "alice", "password": "not it", "next": "/"})
    assert status == 403 and "Wrong name or password." in page and "author" not in client.cookies


LONG = "x" * 20_001


@pytest.mark.parametrize(
    "form, with_token, status, message",
    [
        ({"title": "  ", "body": "Some text."}, True, 400, "The title is empty."),
        ({"title": "Long", "body": LONG}, True, 400, "The text is longer than 20000 characters."),
        ({"id": "999", "title": "Ghost", "body": "Nobody home."}, True, 404, "404 Not Found"),
        ({"id": "1", "title": "Forged", "body": "Sent from another site."}, False, 403, "403 Forbidden"),
    ],
    ids=["empty-title", "long-body", "missing-entry", "no-xsrf-token"],
)
def test_bad_input_gets_a_clear_4xx_page_and_changes_nothing(blog, form, with_token, status, message):
    server, db_path = blog
    alice = Client(server)
    alice.sign_in()
    alice.submit("/compose", {"title": "Keep me", "body": "Unchanged."})
    before = database_rows(db_path)
    if with_token:
        answer, _, page = alice.submit("/compose", form)
    else:
        answer, _, page = alice.request("POST", "/compose", form)
    assert answer == status
    assert message in page and "<!DOCTYPE html>" in page
    assert database_rows(db_path) == before == [(1, "alice", "Keep me", "Unchanged.")]


def test_concurrent_authors_lose_no_entry(blog):
    server, db_path = blog
    clients = [Client(server) for _ in range(4)]
    for client in clients:
        client.sign_in()

        client.form = client.request("GET", "/compose")[2]

    def post(number):
        client = clients[number % len(clients)]
        form = {"title": f"Entry {number}", "body": "Text."}
        return client.submit("/compose", form, page=client.form)[0]

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(post, range(20)))
    assert statuses == [302] * 20
    titles = sorted(row[2] for row in database_rows(db_path))
    assert titles == sorted(f"Entry {n}" for n in range(20))
