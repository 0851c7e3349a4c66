import http.client
from urllib.parse import parse_qs, urlsplit


def test_login_redirects_to_google(start_example, monkeypatch):
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "example-client-id")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", "example-client-secret")
    server = start_example("google_login.py", "--public_url=https://www.example.com")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/login")
    response = connection.getresponse()
    assert response.status == 302
    location = urlsplit(response.getheader("Location"))
    assert (location.scheme, location.netloc) == ("https", "accounts.google.com")
    query = parse_qs(location.query)
    assert query["client_id"] == ["example-client-id"]
    assert query["redirect_uri"] == ["https://www.example.com/login"]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email"]
    # The secret is sent only to Google's token endpoint, never to the browser.
    assert "example-client-secret" not in response.getheader("Location")
    connection.close()


def test_refuses_to_start_without_credentials(run_example, monkeypatch):
    monkeypatch.delenv("GOOGLE_CLIENT_ID", raising=False)
    done = run_example("google_login.py", "--port=1")
    assert done.returncode == 1
    assert "GOOGLE_CLIENT_ID" in done.stderr
