from urllib.request import urlopen


def test_tornado_serves_a_wsgi_application(start_example):
    server = start_example("wsgi_app.py")
    with urlopen(server.url + "/any/path") as response:
        assert response.status == 200
        assert response.read() == b"Hello from WSGI, path /any/path\n"
