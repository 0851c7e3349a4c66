import secrets
from http.cookies import SimpleCookie
from urllib.request import Request, urlopen


def get(server, cookie=None):
    headers = {} if cookie is None else {"Cookie": f"visits={cookie}"}
    with urlopen(Request(server.url + "/", headers=headers)) as response:
        return response.read(), SimpleCookie(response.headers["Set-Cookie"])["visits"].value


def test_signed_cookie_counts_visits(start_example, monkeypatch):
    monkeypatch.setenv("COOKIE_SECRET", secrets.token_hex(32))
    server = start_example("visits.py")
    body, cookie = get(server)
    assert body == b"Visits: 1\n"
    # The value is signed: "2|1:0|..." with a timestamp and an HMAC, not a bare "1".
    assert cookie.startswith("2|") and cookie != "1"
    body, cookie = get(server, cookie)
    assert body == b"Visits: 2\n"
    # A cookie whose signature does not match is ignored, as if there were none.
    forged = cookie[:-1] + ("0" if cookie[-1] != "0" else "1")
    body, _ = get(server, forged)
    assert body == b"Visits: 1\n"


def test_refuses_to_start_without_a_secret(run_example, monkeypatch):
    monkeypatch.delenv("COOKIE_SECRET", raising=False)
    done = run_example("visits.py", "--port=1")
    assert done.returncode == 1
    assert "Set COOKIE_SECRET" in done.stderr
