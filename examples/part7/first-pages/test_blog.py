import sqlite3
import xml.etree.ElementTree as ET
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def add_entry(db_path, title, body, published):
    """Step 1 has no forms yet: write an entry into the database directly."""
    with sqlite3.connect(db_path) as db:
        cursor = db.execute(
            "INSERT INTO entries (author, title, body, published, updated) VALUES (?, ?, ?, ?, ?)",
            ("alice", title, body, published, published),
        )
    db.close()
    return cursor.lastrowid


def get(server, path):
    with urlopen(server.url + path) as response:
        return response.headers, response.read().decode("utf-8")


@pytest.fixture
def blog(tmp_path, start_example):
    db_path = tmp_path / "blog.sqlite3"
    server = start_example("blog.py", f"--db={db_path}")
    return server, db_path


def test_the_schema_is_created_on_first_start(blog):
    _, db_path = blog
    with sqlite3.connect(db_path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "entries" in tables


def test_home_shows_the_newest_five_entries_escaped_in_paragraphs(blog):
    server, db_path = blog
    for day in range(1, 7):
        add_entry(db_path, f"Day {day}", f"First <b>line</b> of day {day}.\n\nSecond paragraph.", f"2026-01-0{day}T10:00:00+00:00")
    _, page = get(server, "/")
    assert "Day 6" in page and "Day 2" in page and "Day 1" not in page
    assert page.index("Day 6") < page.index("Day 5")
    assert "<p>First &lt;b&gt;line&lt;/b&gt; of day 6.</p>" in page
    assert "<p>Second paragraph.</p>" in page
    assert '<link rel="stylesheet" href="/static/blog.css?v=' in page


def test_entry_page_and_archive(blog):
    server, db_path = blog
    entry_id = add_entry(db_path, "Tom & Jerry", "A chase.", "2026-02-01T09:00:00+00:00")
    _, page = get(server, f"/entry/{entry_id}")
    assert "<h1>Tom &amp; Jerry</h1>" in page
    _, archive = get(server, "/archive")
    assert f'<a href="/entry/{entry_id}">Tom &amp; Jerry</a>' in archive


def test_a_missing_entry_is_404(blog):
    server, _ = blog
    with pytest.raises(HTTPError) as error:
        get(server, "/entry/999")
    assert error.value.code == 404


def test_the_feed_is_valid_atom(blog):
    server, db_path = blog
    add_entry(db_path, "Fish & <Chips>", "Line one.\n\nLine <two>.", "2026-03-01T12:00:00+00:00")
    headers, text = get(server, "/feed.atom")
    assert headers["Content-Type"] == "application/atom+xml; charset=UTF-8"
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Fish & <Chips>"
    assert entry.findtext(f"{ATOM}content") == "Line one.\n\nLine <two>."
    assert entry.find(f"{ATOM}link").get("href") == f"{server.url}/entry/1"
    assert feed.findtext(f"{ATOM}updated") == "2026-03-01T12:00:00+00:00"
