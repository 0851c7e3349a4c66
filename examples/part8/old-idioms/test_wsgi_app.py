from urllib.request import urlopen


def test_tornado_serves_a_wsgi_application(start_example):
    server = start_example("wsgi_app.py")
    with urlopen(server.url + "/any/path") as response:
        assert response.status == 200
        body = response.read().decode()
    # The WSGI code ran in a worker thread of the executor, not on the event loop's thread.
    assert body.startswith("Hello from WSGI, path /any/path, thread wsgi_") and body.endswith("\n")
