import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor


def test_notes_are_stored_in_sqlite(start_example, tmp_path):
    db = tmp_path / "notes.sqlite3"
    server = start_example("notes_db.py", f"--db={db}")
    answer = server.post("/notes", form={"text": "buy milk"})
    assert answer.status == 201 and answer.json() == {"id": 1, "text": "buy milk"}
    assert server.get_json("/notes") == {"notes": [{"id": 1, "text": "buy milk"}]}
    server.stop()
    # The note is in the database file, so a new server process still has it.
    server = start_example("notes_db.py", f"--db={db}")
    assert server.get_json("/notes")["notes"] == [{"id": 1, "text": "buy milk"}]


def test_a_waiting_query_does_not_block_the_server(start_example, tmp_path):
    db_path = tmp_path / "notes.sqlite3"
    server = start_example("notes_db.py", f"--db={db_path}")
    lock = sqlite3.connect(db_path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(server.post, "/notes", form={"text": "after the lock"})
        time.sleep(0.3)
        assert not waiting.done()  # the INSERT waits for the lock, in its thread
        started = time.monotonic()
        assert server.get_json("/notes") == {"notes": []}  # meanwhile the server answers
        assert time.monotonic() - started < 1
        lock.execute("COMMIT")
        assert waiting.result(timeout=10).status == 201
    lock.close()
    assert server.get_json("/notes")["notes"] == [{"id": 1, "text": "after the lock"}]


def test_an_empty_or_long_note_is_refused(start_example, tmp_path):
    server = start_example("notes_db.py", f"--db={tmp_path / 'notes.sqlite3'}")
    assert server.post("/notes", form={"text": ""}).status == 400
    assert server.post("/notes", form={"text": "x" * 10_001}).status == 400
    assert server.get_json("/notes") == {"notes": []}
