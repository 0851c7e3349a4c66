import base64
import secrets
import time
from email.utils import parsedate_to_datetime

import pytest
from tornado.web import create_signed_value

DAY = 24 * 60 * 60


@pytest.fixture
def secret(monkeypatch):
    # The example reads its secret key from the environment, as a reader would set it.
    key = secrets.token_hex(32)
    monkeypatch.setenv("COOKIE_SECRET", key)
    return key


def test_a_signed_cookie_round_trips_with_its_flags(secret, start_example, visit, replay):
    server = start_example("signed_cookie.py")
    response = server.get("/")
    # The signed value holds | and =, so the header puts it between double quotes.
    assert response.headers["Set-Cookie"].startswith('visits="2|1:0|')
    body, cookie = visit(server)
    assert body == "Visits: 1\n"
    # The flags are on the Set-Cookie header.
    assert cookie["httponly"] is True and cookie["secure"] is True
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/"
    # The browser is asked to keep it for 30 days (expires_days).
    days_left = (parsedate_to_datetime(cookie["expires"]).timestamp() - time.time()) / DAY
    assert 29.9 < days_left <= 30
    # Signed is not encrypted: the fields, the value among them, are plain to read.
    version, key_version, stamp, name, value, signature = cookie.value.split("|")
    assert (version, key_version, name) == ("2", "1:0", "6:visits")
    assert abs(int(stamp.partition(":")[2]) - time.time()) < 60
    assert base64.b64decode(value.partition(":")[2]) == b"1"
    assert len(signature) == 64  # HMAC-SHA256 in hexadecimal
    # Sent back unchanged, it reads as valid and the count goes on.
    body, cookie = visit(server, cookie.coded_value)
    assert body == "Visits: 2\n"
    assert visit(server, cookie.coded_value)[0] == "Visits: 3\n"
    replay("signed_cookie.console", server)


def test_a_tampered_or_foreign_cookie_reads_as_absent(secret, start_example, visit):
    server = start_example("signed_cookie.py")
    _, cookie = visit(server)
    # Change the value from "1" to "9" and keep the signature: the HMAC no longer matches.
    tampered = cookie.value.replace("|4:MQ==|", "|4:OQ==|")
    assert tampered != cookie.value
    assert visit(server, f'"{tampered}"')[0] == "Visits: 1\n"
    # A plain value is no signed value at all.
    assert visit(server, "999")[0] == "Visits: 1\n"
    # Signed with another key, or signed for another cookie name: both refused.
    assert visit(server, create_signed_value(secrets.token_hex(32), "visits", "41").decode())[0] == "Visits: 1\n"
    assert visit(server, create_signed_value(secret, "theme", "41").decode())[0] == "Visits: 1\n"
    # The same value signed with the right key and name is accepted.
    assert visit(server, create_signed_value(secret, "visits", "41").decode())[0] == "Visits: 42\n"


def test_a_signature_older_than_31_days_reads_as_absent(secret, start_example, visit):
    server = start_example("signed_cookie.py")

    def signed_days_ago(days):
        value = create_signed_value(secret, "visits", "41", clock=lambda: time.time() - days * DAY)
        return value.decode()

    # get_signed_cookie checks the signed timestamp: max_age_days=31 by default.
    assert visit(server, signed_days_ago(29))[0] == "Visits: 42\n"
    assert visit(server, signed_days_ago(32))[0] == "Visits: 1\n"


def test_without_a_secret_key_the_server_does_not_start(monkeypatch, run_example, replay):
    monkeypatch.setenv("COOKIE_SECRET", "too short")
    done = run_example("signed_cookie.py")
    assert done.returncode == 1
    assert done.stderr.startswith("Set COOKIE_SECRET to 32 or more random characters")
    monkeypatch.delenv("COOKIE_SECRET")
    replay("signed_cookie-no-secret.console")


def test_an_old_format_cookie_reads_as_absent(secret, start_example, visit):
    server = start_example("signed_cookie.py")
    old = create_signed_value(secret, "visits", "41", version=1).decode()
    assert visit(server, f'"{old}"')[0] == "Visits: 1\n"
    assert visit(server, '"1|2|3"')[0] == "Visits: 1\n"
