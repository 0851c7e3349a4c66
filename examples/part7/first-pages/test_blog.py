import http.client
import sqlite3
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

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


@pytest.fixture
def blog(tmp_path, start_example):
    db_path = tmp_path / "blog.sqlite3"
    server = start_example("blog.py", f"--db={db_path}", "--public_url=https://blog.example")
    return server, db_path


def test_the_schema_is_created_on_first_start_in_a_private_file(blog):
    _, db_path = blog
    with sqlite3.connect(db_path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "entries" in tables
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_home_shows_the_newest_five_entries_escaped_in_paragraphs(blog):
    server, db_path = blog
    for day in range(1, 7):
        add_entry(
            db_path,
            f"Day {day}",
            f"First <b>line</b> of day {day}.\n\nSecond paragraph.",
            f"2026-01-0{day}T10:00:00+00:00",
        )
    page = server.get("/").text
    assert "Day 6" in page and "Day 2" in page and "Day 1" not in page
    assert page.index("Day 6") < page.index("Day 5")
    assert "<p>First &lt;b&gt;line&lt;/b&gt; of day 6.</p>" in page
    assert "<p>Second paragraph.</p>" in page
    assert '<link rel="stylesheet" href="/static/blog.css?v=' in page


def test_entry_page_and_archive(blog):
    server, db_path = blog
    entry_id = add_entry(db_path, "Tom & Jerry", "A chase.", "2026-02-01T09:00:00+00:00")
    assert "<h1>Tom &amp; Jerry</h1>" in server.get(f"/entry/{entry_id}").text
    assert f'<a href="/entry/{entry_id}">Tom &amp; Jerry</a>' in server.get("/archive").text


@pytest.mark.parametrize(
    "entry_id",
    ["999", "0", "99999999999999999999", "9223372036854775808", "9" * 5000, "%C2%B2", "%D9%A1"],
    ids=["missing", "zero", "over-64-bits", "one-over-sqlite", "5000-digits", "superscript-two", "arabic-one"],
)
def test_an_id_that_names_no_entry_is_404(blog, entry_id):
    server, _ = blog
    assert server.get(f"/entry/{entry_id}").status == 404  # the fixture also fails on a traceback


def test_the_feed_is_valid_atom(blog):
    server, db_path = blog
    add_entry(db_path, "Fish & <Chips>", "Line one.\n\nLine <two>.", "2026-03-01T12:00:00+00:00")
    answer = server.get("/feed.atom")
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=UTF-8"
    feed = ET.fromstring(answer.body)
    assert feed.tag == f"{ATOM}feed"
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Fish & <Chips>"
    assert entry.findtext(f"{ATOM}content") == "Line one.\n\nLine <two>."
    assert entry.find(f"{ATOM}link").get("href") == "https://blog.example/entry/1"
    assert feed.findtext(f"{ATOM}updated") == "2026-03-01T12:00:00+00:00"


def test_the_feed_ignores_the_host_header_and_stays_xml(blog):
    server, db_path = blog
    add_entry(db_path, "Vertical\x0btab", "Form\x0cfeed", "2026-03-01T12:00:00+00:00")
    answer = server.get("/feed.atom", headers={"Host": "evil.example"})
    assert "evil.example" not in answer.text
    entry = ET.fromstring(answer.body).find(f"{ATOM}entry")
    assert (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}content")) == ("Verticaltab", "Formfeed")


@pytest.mark.parametrize("path", ["/static/%00", "/static/blog.css%00"])
def test_a_nul_in_a_static_path_is_a_bad_request(blog, path):
    server, _ = blog
    assert server.get(path).status == 400


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


def test_a_request_body_over_4_kib_is_refused_before_it_is_read(blog):
    server, _ = blog
    assert server.post("/", body="x" * 1000).status == 405  # small: the handler has no post()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(5000))
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()
