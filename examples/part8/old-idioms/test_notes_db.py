import json
from urllib.parse import urlencode
from urllib.request import urlopen


def test_notes_are_stored_in_sqlite(start_example, tmp_path):
    db = tmp_path / "notes.sqlite3"
    server = start_example("notes_db.py", f"--db={db}")
    with urlopen(server.url + "/notes", data=urlencode({"text": "buy milk"}).encode()) as response:
        assert response.status == 201
        assert json.loads(response.read()) == {"id": 1, "text": "buy milk"}
    with urlopen(server.url + "/notes") as response:
        assert json.loads(response.read()) == {"notes": [{"id": 1, "text": "buy milk"}]}
    server.stop()
    # The note is in the database file, so a new server process still has it.
    server = start_example("notes_db.py", f"--db={db}")
    with urlopen(server.url + "/notes") as response:
        assert json.loads(response.read())["notes"] == [{"id": 1, "text": "buy milk"}]
