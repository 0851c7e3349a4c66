"""The blog of examples/part7/authors/, tested the way its users use it."""

import re
import secrets
import sqlite3
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest
import tornado.web

BLOG = "../authors/blog.py"
# Spaces inside and at both ends: the password is compared exactly as typed.
PASSWORD = f"  {secrets.token_urlsafe(9)} and spaces  "
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def blog(tmp_path, monkeypatch, run_example, start_example):
    db_path = tmp_path / "blog.sqlite3"
    monkeypatch.setenv("AUTHOR_PASSWORD", PASSWORD)
    done = run_example(BLOG, f"--db={db_path}", "--create-author=alice")
    assert done.returncode == 0 and done.stdout == "Author alice created\n", done.stderr
    secret = secrets.token_hex(32)
    server = start_example(BLOG, f"--db={db_path}", env={"COOKIE_SECRET": secret})
    server.secret = secret
    return server, db_path


def submit(session, path, form, page=None):
    """Fill in the form of the page at path, with its hidden _xsrf field, and send it."""
    if page is None:
        page = session.get(path).text
    token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    return session.post(path.split("?")[0], form=dict(form, _xsrf=token))


def sign_in(session, password=PASSWORD):
    return submit(session, "/login", {"name": "alice", "password": password, "next": "/compose"})


def signed_in(server):
    session = server.session()
    answer = sign_in(session)
    assert (answer.status, answer.headers["Location"]) == (302, "/compose")
    return session


def form_fields(page):
    """The values of the compose form in a page, as the browser would send them."""
    title = re.search(r'<input name="title" maxlength="200" value="([^"]*)"', page).group(1)
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.DOTALL).group(1)
    return title, body


def database_rows(db_path):
    """What the blog has stored, read from the file itself."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT id, author, title, body FROM entries ORDER BY id").fetchall()
    finally:
        db.close()


def test_an_author_signs_in_writes_edits_and_signs_out(blog):
    server, db_path = blog
    alice = server.session()
    answer = alice.get("/compose")
    assert (answer.status, answer.headers["Location"]) == (302, "/login?next=%2Fcompose")
    answer = sign_in(alice)  # the password has spaces inside and at both ends
    assert (answer.status, answer.headers["Location"]) == (302, "/compose")

    answer = submit(alice, "/compose", {"title": "Hello <world>", "body": "First paragraph.\n\nSecond & last."})
    assert answer.status == 302
    entry_path = answer.headers["Location"]
    entry_id = int(entry_path.rsplit("/", 1)[1])

    home = server.get("/").text  # a visitor who is not signed in
    assert "Hello &lt;world&gt;" in home
    assert "<p>Second &amp; last.</p>" in home

    edit_page = alice.get(f"/compose?id={entry_id}").text
    updated = re.search(r'name="updated" value="([^"]+)"', edit_page).group(1)
    form = {"id": str(entry_id), "updated": updated, "title": "Hello again", "body": "Edited."}
    answer = submit(alice, f"/compose?id={entry_id}", form, page=edit_page)
    assert (answer.status, answer.headers["Location"]) == (302, entry_path)
    page = server.get(entry_path).text
    assert "<h1>Hello again</h1>" in page and "<p>Edited.</p>" in page

    entries = ET.fromstring(server.get("/feed.atom").body).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Hello again"]
    assert database_rows(db_path) == [(entry_id, "alice", "Hello again", "Edited.")]

    home = alice.get("/").text
    assert "Sign out alice" in home
    answer = submit(alice, "/logout", {}, page=home)  # the form in the page header
    assert answer.status == 302 and not alice.cookies.get("author")
    cleared = SimpleCookie(answer.headers["Set-Cookie"])["author"]
    assert cleared.value == "" and parsedate_to_datetime(cleared["expires"]) < datetime.now(UTC)
    answer = alice.get("/compose")
    assert (answer.status, answer.headers["Location"]) == (302, "/login?next=%2Fcompose")


@pytest.mark.parametrize("password", ["not it", PASSWORD.strip(), PASSWORD + " "], ids=["wrong", "stripped", "longer"])
def test_only_the_exact_password_signs_in(blog, password):
    server, _ = blog
    session = server.session()
    answer = sign_in(session, password)
    assert answer.status == 403 and "Wrong name or password." in answer.text
    assert not session.cookies.get("author")


LONG = "x" * 20_001
TEXT = {"title": "My draft", "body": "Words I do not want to type twice."}


@pytest.mark.parametrize(
    "form, with_token, status, message",
    [
        ({"title": "  ", "body": "Some text."}, True, 400, "The title is empty."),
        ({"title": "Long", "body": LONG}, True, 400, "The text is longer than 20000 characters."),
        (dict(TEXT, id="999"), True, 404, "This entry does not exist."),
        (dict(TEXT, id="99999999999999999999"), True, 404, "This entry does not exist."),
        (dict(TEXT, id="9" * 5000), True, 404, "This entry does not exist."),
        (dict(TEXT, id="\u00b2"), True, 404, "This entry does not exist."),
        (dict(TEXT, id="\u0661"), True, 404, "This entry does not exist."),
        ({"id": "1", "title": "Forged", "body": "Sent from another site."}, False, 403, "403 Forbidden"),
    ],
    ids=["empty-title", "long-body", "missing-entry", "id-over-64-bits", "id-of-5000-digits",
         "superscript-two", "arabic-one", "no-xsrf-token"],
)  # fmt: skip
def test_bad_input_gets_a_clear_4xx_page_and_changes_nothing(blog, form, with_token, status, message):
    server, db_path = blog
    alice = signed_in(server)
    submit(alice, "/compose", {"title": "Keep me", "body": "Unchanged."})
    before = database_rows(db_path)
    if with_token:
        answer = submit(alice, "/compose", form)
    else:
        answer = alice.post("/compose", form=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status == status
    assert message in answer.text and "<!DOCTYPE html>" in answer.text
    if form["title"] == TEXT["title"]:
        # An edit of an entry that cannot exist: the text comes back in a form for a new entry.
        assert form_fields(answer.text) == (TEXT["title"], TEXT["body"])
        assert 'name="id"' not in answer.text
    assert database_rows(db_path) == before == [(1, "alice", "Keep me", "Unchanged.")]


@pytest.mark.parametrize("entry_id", ["99999999999999999999", "9" * 5000, "%C2%B2", "%D9%A1", "0"])
def test_an_id_that_names_no_entry_is_404(blog, entry_id):
    server, _ = blog
    alice = signed_in(server)
    assert server.get(f"/entry/{entry_id}").status == 404
    assert alice.get(f"/compose?id={entry_id}").status == 404


def test_a_concurrent_edit_is_detected_and_the_text_kept(blog):
    server, db_path = blog
    alice, bob = signed_in(server), signed_in(server)  # two tabs, or two authors
    submit(alice, "/compose", {"title": "Plan", "body": "First version."})
    alice_page, bob_page = alice.get("/compose?id=1").text, bob.get("/compose?id=1").text

    def edit(session, page, body):
        updated = re.search(r'name="updated" value="([^"]+)"', page).group(1)
        return submit(session, "/compose", {"id": "1", "updated": updated, "title": "Plan", "body": body}, page=page)

    assert edit(alice, alice_page, "Alice's version.").status == 302
    answer = edit(bob, bob_page, "Bob's version.")
    assert answer.status == 409
    assert "Someone saved this entry while you were writing." in answer.text
    assert form_fields(answer.text) == ("Plan", "Bob&#x27;s version.")
    assert database_rows(db_path) == [(1, "alice", "Plan", "Alice's version.")]
    # The 409 page carries the new version's stamp: publishing from it is a deliberate overwrite.
    assert edit(bob, answer.text, "Bob's version.").status == 302
    assert database_rows(db_path) == [(1, "alice", "Plan", "Bob's version.")]


def test_a_login_that_expires_while_writing_keeps_the_text(blog):
    server, db_path = blog
    alice = signed_in(server)
    page = alice.get("/compose").text
    # Eight days pass while alice writes: her cookie is older than the seven-day session.
    name = tornado.web.decode_signed_value(server.secret, "author", alice.cookies["author"])
    eight_days_ago = time.time() - 8 * 24 * 3600
    old = tornado.web.create_signed_value(server.secret, "author", name, clock=lambda: eight_days_ago)
    alice.cookies["author"] = old.decode()
    answer = submit(alice, "/compose", TEXT, page=page)
    assert answer.status == 403
    assert "Your text was not saved" in answer.text
    assert form_fields(answer.text) == (TEXT["title"], TEXT["body"])
    assert database_rows(db_path) == []
    # She signs in again in another tab, comes back and publishes the same form.
    sign_in(alice)
    assert submit(alice, "/compose", TEXT, page=answer.text).status == 302
    assert database_rows(db_path) == [(1, "alice", TEXT["title"], TEXT["body"])]


def test_concurrent_authors_lose_no_entry(blog):
    server, db_path = blog
    sessions = [signed_in(server) for _ in range(4)]
    pages = [session.get("/compose").text for session in sessions]

    def post(number):
        session, page = sessions[number % 4], pages[number % 4]
        return submit(session, "/compose", {"title": f"Entry {number}", "body": "Text."}, page=page).status

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(post, range(20)))
    assert statuses == [302] * 20
    titles = sorted(row[2] for row in database_rows(db_path))
    assert titles == sorted(f"Entry {n}" for n in range(20))
